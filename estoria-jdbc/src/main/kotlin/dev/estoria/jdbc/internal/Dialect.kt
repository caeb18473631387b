package dev.estoria.jdbc.internal

import dev.estoria.event.ExpectedVersion
import java.sql.PreparedStatement
import java.sql.ResultSet
import java.sql.SQLException
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** The tables a store owns; each is versioned separately in the schema-version table. */
internal enum class Component(val key: String, val version: Int) {
    EVENTS("events", 1),
    SNAPSHOTS("snapshots", 2),
    CHECKPOINTS("checkpoints", 1),
}

/** One event ready to be written. */
internal class EncodedEvent(
    val id: String,
    val type: String,
    val contentType: String,
    val metadata: String,
    val data: ByteArray,
)

/** What an append stored: the stream's new version and each event's global position, in batch order. */
internal class Inserted(val newVersion: Long, val positions: LongArray)

/**
 * Everything that differs between PostgreSQL and SQLite: DDL, timestamp and error mapping, the
 * stable-prefix bound of global reads, and how an append is written.
 */
internal sealed class Dialect(val displayName: String) {
    /** Whether the database admits one writer at a time (writes are then also ordered in-process). */
    abstract val singleWriter: Boolean

    /** Extra `AND …` condition restricting global reads to the stable prefix ("" when every row is). */
    abstract val stableBound: String

    abstract fun ddl(component: Component, names: TableNames): List<String>

    /** Serializes concurrent provisioning of the same tables (inside the provisioning transaction). */
    abstract fun lockForProvisioning(session: Session, names: TableNames)

    abstract fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant)

    abstract fun readTimestamp(rs: ResultSet, index: Int): Instant

    abstract fun isUniqueViolation(e: SQLException): Boolean

    /**
     * Writes [batch] to [streamId] if the stream satisfies [expected], atomically. Returns `null` when
     * the condition failed (nothing written); throws the driver's exception on any error, a unique
     * violation included (nothing written either).
     */
    abstract fun insert(
        session: Session,
        names: TableNames,
        streamId: String,
        batch: List<EncodedEvent>,
        expected: ExpectedVersion,
        timestamp: Instant,
    ): Inserted?

    protected fun versionTableDdl(names: TableNames, timestampType: String, now: String): String =
        "CREATE TABLE IF NOT EXISTS ${names.schemaVersion} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, " +
            "installed_at $timestampType NOT NULL DEFAULT $now)"

    protected fun versionRow(names: TableNames, component: Component): String =
        "INSERT INTO ${names.schemaVersion} (component, version) VALUES ('${component.key}', ${component.version}) " +
            "ON CONFLICT (component) DO NOTHING"

    /**
     * The compare-and-set on the streams row for a batch of [n] events: bumps the version by [n] when
     * [expected] holds and returns the new version, returns no row otherwise. Parameters: the stream
     * id, then the expected version for [ExpectedVersion.Exact] above 0.
     */
    protected fun streamCas(names: TableNames, expected: ExpectedVersion, n: Int): String {
        val s = names.streams
        val insert = "INSERT INTO $s AS st (stream_id, stream_version) VALUES (?, $n) ON CONFLICT (stream_id) DO "
        val bump = "UPDATE SET stream_version = st.stream_version + $n"
        return when (expected) {
            ExpectedVersion.Any -> "$insert$bump RETURNING stream_version"
            ExpectedVersion.NoStream -> "${insert}NOTHING RETURNING stream_version"
            ExpectedVersion.StreamExists ->
                "UPDATE $s AS st SET stream_version = st.stream_version + $n WHERE st.stream_id = ? RETURNING stream_version"
            is ExpectedVersion.Exact ->
                if (expected.version == 0L) {
                    "$insert$bump WHERE st.stream_version = 0 RETURNING stream_version"
                } else {
                    "UPDATE $s AS st SET stream_version = st.stream_version + $n " +
                        "WHERE st.stream_id = ? AND st.stream_version = ? RETURNING stream_version"
                }
        }
    }

    protected fun casKind(expected: ExpectedVersion): String =
        if (expected is ExpectedVersion.Exact) (if (expected.version == 0L) "exact0" else "exact") else expected.toString()

    protected fun bindCas(ps: PreparedStatement, streamId: String, expected: ExpectedVersion): Int {
        ps.setString(1, streamId)
        if (expected is ExpectedVersion.Exact && expected.version > 0) {
            ps.setLong(2, expected.version)
            return 3
        }
        return 2
    }

    internal companion object {
        /** Rows per INSERT statement; larger batches use several statements in one transaction. */
        const val CHUNK = 1000
    }
}

/**
 * PostgreSQL (13 or later).
 *
 * Global positions are `(writer transaction id << 20) + index in batch`, and global reads return only
 * positions below `pg_snapshot_xmin(pg_current_snapshot()) << 20`: every transaction below the
 * snapshot's xmin has finished, and every writer still running or yet to start has a transaction id
 * at or above it, so nothing can later appear at or below a position already returned. Writers take
 * no shared lock: appends to different streams never wait for each other.
 *
 * An append of up to [CHUNK] events is ONE auto-committed statement (compare-and-set CTE on the
 * streams row + multi-row insert), i.e. one round trip.
 */
internal object PostgresDialect : Dialect("PostgreSQL") {
    override val singleWriter: Boolean = false

    private const val XID_BITS = 20

    /** Largest batch: the index within a batch must fit below the transaction id bits. */
    const val MAX_BATCH: Int = (1 shl XID_BITS) - 1

    override val stableBound: String =
        "AND global_position < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint << $XID_BITS)"

    override fun ddl(component: Component, names: TableNames): List<String> {
        val out = ArrayList<String>()
        names.schema?.let { out += "CREATE SCHEMA IF NOT EXISTS $it" }
        out += versionTableDdl(names, "TIMESTAMPTZ", "now()")
        out += when (component) {
            Component.EVENTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.streams} (stream_id TEXT PRIMARY KEY, stream_version BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS ${names.events} (" +
                    "global_position BIGINT PRIMARY KEY, " +
                    "event_id TEXT NOT NULL, " +
                    "stream_id TEXT NOT NULL, " +
                    "stream_version BIGINT NOT NULL, " +
                    "type TEXT NOT NULL, " +
                    "created_at TIMESTAMPTZ NOT NULL, " +
                    "content_type TEXT NOT NULL, " +
                    "metadata TEXT NOT NULL, " +
                    "data BYTEA NOT NULL, " +
                    "CONSTRAINT ${names.local("events_event_id_key")} UNIQUE (event_id), " +
                    "CONSTRAINT ${names.local("events_stream_version_key")} UNIQUE (stream_id, stream_version))",
            )
            Component.SNAPSHOTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.snapshots} (aggregate_id TEXT NOT NULL, aggregate_version BIGINT NOT NULL, " +
                    "content_type TEXT NOT NULL, data BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL, last_event_id TEXT, " +
                    "PRIMARY KEY (aggregate_id, aggregate_version))",
            )
            Component.CHECKPOINTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.checkpoints} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, " +
                    "updated_at TIMESTAMPTZ NOT NULL)",
            )
        }
        out += versionRow(names, component)
        return out
    }

    override fun lockForProvisioning(session: Session, names: TableNames) {
        session.prepare("SELECT pg_advisory_xact_lock(?)").use {
            it.setLong(1, 0x6573746f72690000L xor "${names.schema}.${names.prefix}".hashCode().toLong())
            it.executeQuery().close()
        }
    }

    override fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant) {
        ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC))
    }

    override fun readTimestamp(rs: ResultSet, index: Int): Instant = rs.getObject(index, OffsetDateTime::class.java).toInstant()

    override fun isUniqueViolation(e: SQLException): Boolean = e.sqlState == "23505"

    private val firstSql = java.util.concurrent.ConcurrentHashMap<String, String>()

    private fun values(from: Int, until: Int): String = buildString {
        for (i in from until until) {
            if (i > from) append(", ")
            if (i == from) append("(${i + 1}, ?::text, ?::text, ?::text, ?::text, ?::bytea)") else append("(${i + 1}, ?, ?, ?, ?, ?)")
        }
    }

    private const val INSERT_HEAD = "global_position, event_id, stream_id, stream_version, type, created_at, content_type, metadata, data"
    private const val VALUES_ALIAS = "AS v(i, event_id, type, content_type, metadata, data) RETURNING global_position, stream_version"
    private const val POSITION = "(pg_current_xact_id()::text::bigint << $XID_BITS) + v.i"

    private fun firstStatement(names: TableNames, expected: ExpectedVersion, total: Int, rows: Int): String {
        fun build() = "WITH s AS (${streamCas(names, expected, total)}) " +
            "INSERT INTO ${names.events} ($INSERT_HEAD) " +
            "SELECT $POSITION, v.event_id, ?::text, s.stream_version - $total + v.i, v.type, ?::timestamptz, " +
            "v.content_type, v.metadata, v.data FROM s, (VALUES ${values(0, rows)}) $VALUES_ALIAS"
        // the common small batches are cached; larger ones are built each time (bounded memory per table set)
        if (total != rows || rows > CACHED_BATCH) return build()
        return firstSql.getOrPut("${names.events}|${names.streams}|${casKind(expected)}|$rows") { build() }
    }

    /** Largest batch whose statement text is cached. */
    private const val CACHED_BATCH = 32

    private fun nextStatement(names: TableNames, from: Int, until: Int): String =
        "INSERT INTO ${names.events} ($INSERT_HEAD) " +
            "SELECT $POSITION, v.event_id, ?::text, ?::bigint + v.i, v.type, ?::timestamptz, " +
            "v.content_type, v.metadata, v.data FROM (VALUES ${values(from, until)}) $VALUES_ALIAS"

    private fun bindRows(ps: PreparedStatement, start: Int, batch: List<EncodedEvent>, from: Int, until: Int) {
        var p = start
        for (i in from until until) {
            val e = batch[i]
            ps.setString(p++, e.id)
            ps.setString(p++, e.type)
            ps.setString(p++, e.contentType)
            ps.setString(p++, e.metadata)
            ps.setBytes(p++, e.data)
        }
    }

    /** Reads `(global_position, stream_version)` rows into [positions], indexed by version - base - 1. */
    private fun collect(ps: PreparedStatement, positions: LongArray, base: Long?): Long? {
        var newBase = base
        var maxVersion = Long.MIN_VALUE
        val rows = ArrayList<LongArray>()
        ps.executeQuery().use { rs ->
            while (rs.next()) rows += longArrayOf(rs.getLong(1), rs.getLong(2))
        }
        if (rows.isEmpty()) return null
        for (r in rows) maxVersion = maxOf(maxVersion, r[1])
        if (newBase == null) newBase = maxVersion - positions.size
        for (r in rows) positions[(r[1] - newBase - 1).toInt()] = r[0]
        return newBase
    }

    override fun insert(
        session: Session,
        names: TableNames,
        streamId: String,
        batch: List<EncodedEvent>,
        expected: ExpectedVersion,
        timestamp: Instant,
    ): Inserted? {
        val n = batch.size
        val positions = LongArray(n)
        if (n <= CHUNK) {
            val base = session.prepare(firstStatement(names, expected, n, n)).use { ps ->
                var p = bindCas(ps, streamId, expected)
                ps.setString(p++, streamId)
                bindTimestamp(ps, p++, timestamp)
                bindRows(ps, p, batch, 0, n)
                collect(ps, positions, null)
            } ?: return null
            return Inserted(base + n, positions)
        }
        return session.transaction {
            val base = session.prepare(firstStatement(names, expected, n, CHUNK)).use { ps ->
                var p = bindCas(ps, streamId, expected)
                ps.setString(p++, streamId)
                bindTimestamp(ps, p++, timestamp)
                bindRows(ps, p, batch, 0, CHUNK)
                // rows of the first chunk are versions base+1..base+CHUNK; base = newVersion - n
                collectFirst(ps, positions, n)
            }
            if (base == null) {
                null
            } else {
                var from = CHUNK
                while (from < n) {
                    val until = minOf(n, from + CHUNK)
                    session.prepare(nextStatement(names, from, until)).use { ps ->
                        ps.setString(1, streamId)
                        ps.setLong(2, base)
                        bindTimestamp(ps, 3, timestamp)
                        bindRows(ps, 4, batch, from, until)
                        collect(ps, positions, base)
                    }
                    from = until
                }
                Inserted(base + n, positions)
            }
        }
    }

    /** Like [collect] for the first chunk of a large batch, where the new version is base + [total]. */
    private fun collectFirst(ps: PreparedStatement, positions: LongArray, total: Int): Long? {
        val rows = ArrayList<LongArray>()
        ps.executeQuery().use { rs ->
            while (rs.next()) rows += longArrayOf(rs.getLong(1), rs.getLong(2))
        }
        if (rows.isEmpty()) return null
        val minVersion = rows.minOf { it[1] }
        val base = minVersion - 1
        for (r in rows) positions[(r[1] - base - 1).toInt()] = r[0]
        check(base + total >= rows.maxOf { it[1] })
        return base
    }
}

/**
 * SQLite (3.35 or later). SQLite admits one writer at a time and assigns `AUTOINCREMENT` positions
 * inside the write transaction, so commit order is position order and every committed prefix is
 * already stable: global reads need no bound. Positions are never reused, even after deletes.
 */
internal object SqliteDialect : Dialect("SQLite") {
    override val singleWriter: Boolean = true
    override val stableBound: String = ""

    override fun ddl(component: Component, names: TableNames): List<String> {
        val out = ArrayList<String>()
        out += versionTableDdl(names, "TEXT", "CURRENT_TIMESTAMP")
        out += when (component) {
            Component.EVENTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.streams} (stream_id TEXT PRIMARY KEY, stream_version INTEGER NOT NULL)",
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
        }
        out += versionRow(names, component)
        return out
    }

    override fun lockForProvisioning(session: Session, names: TableNames) {
        // the provisioning transaction's first write takes SQLite's database-wide write lock
    }

    override fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant) {
        ps.setLong(index, Micros.toMicros(instant))
    }

    override fun readTimestamp(rs: ResultSet, index: Int): Instant = Micros.fromMicros(rs.getLong(index))

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
    ): Inserted? = session.transaction {
        val n = batch.size
        val newVersion = session.prepare(streamCas(names, expected, n)).use { ps ->
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
}
