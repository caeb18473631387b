package dev.estoria.jdbc.internal

import dev.estoria.event.ExpectedVersion
import java.sql.PreparedStatement
import java.sql.ResultSet
import java.sql.SQLException
import java.time.Instant

/**
 * SQLite (3.35 or later). SQLite admits one writer at a time and assigns `AUTOINCREMENT` positions
 * inside the write transaction, so commit order is position order and every committed prefix is
 * already stable: global reads need no bound. Positions are never reused, even after deletes.
 */
internal object SqliteDialect : Dialect("SQLite") {
    override val singleWriter: Boolean = true
    override fun frontier(names: TableNames): String = "(SELECT COALESCE(max(global_position), 0) + 1 FROM ${names.events})"

    override fun ddl(component: Component, names: TableNames): List<String> {
        val out = ArrayList<String>()
        out += versionTableDdl(names, "TEXT", "CURRENT_TIMESTAMP")
        out += when (component) {
            Component.EVENTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.streams} (stream_id TEXT PRIMARY KEY, stream_version INTEGER NOT NULL, " +
                    "last_position INTEGER NOT NULL DEFAULT 0)",
                "CREATE TABLE IF NOT EXISTS ${names.events} (" +
                    "global_position INTEGER PRIMARY KEY AUTOINCREMENT, " +
                    "event_id TEXT NOT NULL UNIQUE, " +
                    "stream_id TEXT NOT NULL, " +
                    "stream_version INTEGER NOT NULL, " +
                    "type TEXT NOT NULL, " +
                    "created_at INTEGER NOT NULL, " +
                    "content_type TEXT NOT NULL, " +
                    "metadata TEXT NOT NULL, " +
                    "data BLOB NOT NULL, " +
                    "UNIQUE (stream_id, stream_version))",
            )
            Component.SNAPSHOTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.snapshots} (aggregate_id TEXT NOT NULL, aggregate_version INTEGER NOT NULL, " +
                    "content_type TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL, last_event_id TEXT, " +
                    "PRIMARY KEY (aggregate_id, aggregate_version))",
            )
            Component.CHECKPOINTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.checkpoints} (name TEXT PRIMARY KEY, position INTEGER NOT NULL, " +
                    "updated_at INTEGER NOT NULL)",
            )
            Component.LEASES -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.leases} (name TEXT PRIMARY KEY, owner TEXT NOT NULL, epoch INTEGER NOT NULL, " +
                    "expires_at INTEGER NOT NULL, acquired_at INTEGER NOT NULL)",
            )
        }
        out += versionRow(names, component)
        return out
    }

    override fun upgrade(component: Component, names: TableNames, from: Int): List<String> =
        if (component == Component.EVENTS && from == 1) {
            listOf(
                "ALTER TABLE ${names.streams} ADD COLUMN last_position INTEGER NOT NULL DEFAULT 0",
                "UPDATE ${names.streams} SET last_position = COALESCE((SELECT max(e.global_position) FROM ${names.events} AS e " +
                    "WHERE e.stream_id = ${names.streams}.stream_id), 0)",
                versionUpdate(names, component),
            )
        } else if (component == Component.SNAPSHOTS && from == 1) {
            // version 2 added the last event id; version-1 rows have none and are replaced on their next load
            listOf("ALTER TABLE ${names.snapshots} ADD COLUMN last_event_id TEXT", versionUpdate(names, component))
        } else {
            emptyList()
        }

    /**
     * `PRAGMA wal_checkpoint(TRUNCATE)`: copies every committed page of the `-wal` file into the database
     * file and empties the WAL, so a copy of the `.db` file alone holds every event.
     */
    override fun onClose(session: Session) {
        session.connection.createStatement().use { it.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    override fun lockForProvisioning(session: Session, names: TableNames) {
        // the provisioning transaction's first write takes SQLite's database-wide write lock
    }

    /** SQLite's clock (the file's host), in microseconds since the epoch at millisecond precision. */
    override val now: String = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"

    override val nowPlusMicros: String = "($now + ?)"

    /** SQLite qualifies the existing row by the table name (no schema on SQLite). */
    override fun leaseRow(names: TableNames): Pair<String, String> = "" to names.leases

    override fun lockLease(session: Session, names: TableNames, name: String) {
        // the acquisition's upsert takes SQLite's database-wide write lock: acquisitions are serialized
    }

    /** A write: it also takes the write lock when it is the first statement of a transaction. */
    override fun fenceSql(names: TableNames): String =
        "UPDATE ${names.leases} SET epoch = epoch WHERE name = ? AND owner = ? AND epoch = ? AND expires_at > $now RETURNING epoch"

    override fun unfencedBeginSql(names: TableNames): String = "UPDATE ${names.checkpoints} SET position = position WHERE name = ?"

    override fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant) {
        ps.setLong(index, Micros.toMicros(instant))
    }

    override fun readTimestamp(rs: ResultSet, index: Int): Instant = Micros.fromMicros(rs.getLong(index))

    override fun isSerializationFailure(e: SQLException): Boolean = false

    override fun isUniqueViolation(e: SQLException): Boolean {
        val code = e.errorCode
        return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ||
            (code and 0xff == SQLITE_CONSTRAINT && (e.message ?: "").contains("UNIQUE", ignoreCase = true)) ||
            (e.message ?: "").contains("UNIQUE constraint failed")
    }

    private const val SQLITE_CONSTRAINT = 19
    private const val SQLITE_CONSTRAINT_UNIQUE = 2067
    private const val SQLITE_CONSTRAINT_PRIMARYKEY = 1555

    private fun insertSql(names: TableNames, rows: Int): String = buildString {
        append("INSERT INTO ${names.events} (event_id, stream_id, stream_version, type, created_at, content_type, metadata, data) VALUES ")
        for (i in 0 until rows) {
            if (i > 0) append(", ")
            append("(?, ?, ?, ?, ?, ?, ?, ?)")
        }
        append(" RETURNING global_position, stream_version")
    }

    override fun insert(
        session: Session,
        names: TableNames,
        streamId: String,
        batch: List<EncodedEvent>,
        expected: ExpectedVersion,
        timestamp: Instant,
        highWater: Long,
    ): Inserted? = session.transaction {
        val n = batch.size
        val newVersion = session.prepare(streamCas(names, expected, n, casPositions(names, n))).use { ps ->
            bindCas(ps, streamId, expected)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else null }
        }
        if (newVersion == null) {
            null
        } else {
            val base = newVersion - n
            val positions = LongArray(n)
            val micros = Micros.toMicros(timestamp)
            var from = 0
            while (from < n) {
                val until = minOf(n, from + CHUNK)
                session.prepare(insertSql(names, until - from)).use { ps ->
                    var p = 1
                    for (i in from until until) {
                        val e = batch[i]
                        ps.setString(p++, e.id)
                        ps.setString(p++, streamId)
                        ps.setLong(p++, base + i + 1)
                        ps.setString(p++, e.type)
                        ps.setLong(p++, micros)
                        ps.setString(p++, e.contentType)
                        ps.setString(p++, e.metadata)
                        ps.setBytes(p++, e.data)
                    }
                    ps.executeQuery().use { rs ->
                        while (rs.next()) positions[(rs.getLong(2) - base - 1).toInt()] = rs.getLong(1)
                    }
                }
                from = until
            }
            Inserted(newVersion, positions)
        }
    }

    /**
     * SQLite needs no position guard (one writer at a time, positions assigned inside the write lock);
     * `last_position` is kept for the same schema on both backends: AUTOINCREMENT hands out
     * `sqlite_sequence.seq + 1 …`, so the batch ends at `seq + n`.
     */
    private fun casPositions(names: TableNames, n: Int) = CasPositions(
        last = "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '${names.local("events")}'), 0) + $n",
        from = "",
        guard = "1 = 1",
        conflictGuard = "1 = 1",
        updateGuard = "1 = 1",
    )

    override fun storedHighWater(session: Session, names: TableNames): Long = 0L

    override fun positionFault(session: Session, names: TableNames, highWater: Long): String? = null
}
