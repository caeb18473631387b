package dev.estoria.jdbc.internal

import dev.estoria.event.ExpectedVersion
import java.sql.PreparedStatement
import java.sql.ResultSet
import java.sql.SQLException
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * PostgreSQL (13 or later).
 *
 * Global positions are `((writer transaction id + offset) << 20) + index in batch`, and global reads
 * return only positions below `(pg_snapshot_xmin(pg_current_snapshot()) + offset) << 20`: every
 * transaction below the snapshot's xmin has finished, and every writer still running or yet to start
 * has a transaction id at or above it, so nothing can later appear at or below a position already
 * returned. Writers take no shared lock: appends to different streams never wait for each other. The
 * offset (0 unless a restore needed one, see [PostgresPositions]) is read from `<prefix>position_offset`
 * inside each statement.
 *
 * **Per-stream order.** PostgreSQL gives a transaction its id when its statement first touches the
 * stream's row, *before* it waits for that row's lock, so two writers of one stream can get ids in the
 * opposite order of their versions. The compare-and-set therefore also requires the new position to be
 * above the row's `last_position` (re-evaluated on the newest row version after a lock wait, like the
 * version check); a writer that loses gets no row back and retries in a new statement, whose new id is
 * above every id assigned before, the winner's included.
 *
 * An append of up to [CHUNK] events is ONE auto-committed statement (compare-and-set CTE on the
 * streams row + multi-row insert), i.e. one round trip. Its rows come as a `VALUES` list up to
 * [CACHED_BATCH] events, as five arrays above (see [rows]).
 */
internal object PostgresDialect : Dialect("PostgreSQL") {
    override val singleWriter: Boolean = false

    const val XID_BITS: Int = 20

    /** Largest batch: the index within a batch must fit below the transaction id bits. */
    const val MAX_BATCH: Int = (1 shl XID_BITS) - 1

    override fun frontier(names: TableNames): String =
        "((pg_snapshot_xmin(pg_current_snapshot())::text::bigint + ${PostgresPositions.offset(names)}) << $XID_BITS)"

    override fun ddl(component: Component, names: TableNames): List<String> {
        val out = ArrayList<String>()
        names.schema?.let { out += "CREATE SCHEMA IF NOT EXISTS $it" }
        out += versionTableDdl(names, "TIMESTAMPTZ", "now()")
        out += when (component) {
            Component.EVENTS -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.streams} (stream_id TEXT PRIMARY KEY, stream_version BIGINT NOT NULL, " +
                    "last_position BIGINT NOT NULL DEFAULT 0)",
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
                PostgresPositions.offsetTableDdl(names),
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
            Component.LEASES -> listOf(
                "CREATE TABLE IF NOT EXISTS ${names.leases} (name TEXT PRIMARY KEY, owner TEXT NOT NULL, epoch BIGINT NOT NULL, " +
                    "expires_at TIMESTAMPTZ NOT NULL, acquired_at TIMESTAMPTZ NOT NULL)",
            )
        }
        out += versionRow(names, component)
        return out
    }

    override fun upgrade(component: Component, names: TableNames, from: Int): List<String> =
        if (component == Component.EVENTS && from == 1) {
            listOf(
                "ALTER TABLE ${names.streams} ADD COLUMN IF NOT EXISTS last_position BIGINT NOT NULL DEFAULT 0",
                "UPDATE ${names.streams} AS st SET last_position = " +
                    "COALESCE((SELECT max(e.global_position) FROM ${names.events} AS e WHERE e.stream_id = st.stream_id), 0)",
                PostgresPositions.offsetTableDdl(names),
                versionUpdate(names, component),
            )
        } else if (component == Component.SNAPSHOTS && from == 1) {
            // version 2 added the last event id; version-1 rows have none and are replaced on their next load
            listOf("ALTER TABLE ${names.snapshots} ADD COLUMN IF NOT EXISTS last_event_id TEXT", versionUpdate(names, component))
        } else {
            emptyList()
        }

    override fun lockForProvisioning(session: Session, names: TableNames) {
        session.prepare("SELECT pg_advisory_xact_lock(?)").use {
            it.setLong(1, 0x6573746f72690000L xor "${names.schema}.${names.prefix}".hashCode().toLong())
            it.executeQuery().close()
        }
    }

    /** The server's clock at the moment of the statement (not the transaction's start, which may be older after a lock wait). */
    override val now: String = "clock_timestamp()"

    override val nowPlusMicros: String = "(clock_timestamp() + ?::double precision * interval '1 microsecond')"

    override fun leaseRow(names: TableNames): Pair<String, String> = " AS l" to "l"

    /** A transaction-scoped advisory lock per lease name: acquisitions of one lease run one at a time. */
    override fun lockLease(session: Session, names: TableNames, name: String) {
        session.prepare("SELECT pg_advisory_xact_lock(?)").use {
            it.setLong(1, 0x6c65617365000000L xor ("${names.leases}|$name".hashCode().toLong() and 0xffffffffL))
            it.executeQuery().close()
        }
    }

    /** `FOR SHARE`: an acquisition (an update of the row) waits until the batch's transaction ends, and then sees its checkpoint. */
    override fun fenceSql(names: TableNames): String =
        "SELECT epoch FROM ${names.leases} WHERE name = ? AND owner = ? AND epoch = ? AND expires_at > $now FOR SHARE"

    override fun unfencedBeginSql(names: TableNames): String? = null

    override fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant) {
        ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC))
    }

    override fun readTimestamp(rs: ResultSet, index: Int): Instant = rs.getObject(index, OffsetDateTime::class.java).toInstant()

    override fun isUniqueViolation(e: SQLException): Boolean = e.sqlState == "23505"

    /** `could not serialize access` (40001): a session at REPEATABLE READ or SERIALIZABLE lost to a concurrent writer. */
    override fun isSerializationFailure(e: SQLException): Boolean = e.sqlState == "40001"

    private val firstSql = java.util.concurrent.ConcurrentHashMap<String, String>()

    /**
     * The rows of events `from until until` as the insert's `v(i, event_id, type, content_type, metadata,
     * data)` source, `i` the event's index in the batch plus 1. Up to [CACHED_BATCH] rows: a `VALUES` list
     * of five parameters per row. Larger: five array parameters [unnest]ed, so the statement's text and
     * parameter count do not grow with the batch (see [arrayRows]).
     */
    private fun rows(from: Int, until: Int): String =
        if (arrayRows(from, until)) {
            "(SELECT u.i + $from AS i, u.event_id, u.type, u.content_type, u.metadata, u.data " +
                "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[]) " +
                "WITH ORDINALITY AS u(event_id, type, content_type, metadata, data, i))"
        } else {
            buildString {
                append("(VALUES ")
                for (i in from until until) {
                    if (i > from) append(", ")
                    if (i == from) append("(${i + 1}, ?::text, ?::text, ?::text, ?::text, ?::bytea)") else append("(${i + 1}, ?, ?, ?, ?, ?)")
                }
                append(")")
            }
        }

    /**
     * Whether rows `from until until` travel as arrays: above [CACHED_BATCH] rows. A statement of a
     * thousand-row `VALUES` list (5,000 parameters) costs the server about twice its rows' insert to
     * parse and plan whenever the driver has not prepared it on that connection yet (pgjdbc prepares a
     * text after 5 uses on one connection, and a pool spreads a store's calls over many), so bulk appends
     * ran at half of raw JDBC's speed; the array form costs the same prepared or not.
     */
    private fun arrayRows(from: Int, until: Int): Boolean = until - from > CACHED_BATCH

    private const val INSERT_HEAD = "global_position, event_id, stream_id, stream_version, type, created_at, content_type, metadata, data"
    private const val VALUES_ALIAS = " AS v(i, event_id, type, content_type, metadata, data) RETURNING global_position, stream_version"
    private const val BASE = "(x.xid << $XID_BITS)"

    /** The position guards: above the row's last position, above the store's high-water mark (a parameter), below the limit. */
    private val casPositions = CasPositions(
        last = "$BASE + %d",
        from = " FROM x",
        guard = "$BASE > ? AND x.xid < ${PostgresPositions.LIMIT_XID}",
        conflictGuard = "st.last_position < excluded.last_position - %d",
        updateGuard = "st.last_position < $BASE",
    )

    private fun firstStatement(names: TableNames, expected: ExpectedVersion, total: Int, rows: Int): String {
        fun build(): String {
            val positions = CasPositions(
                casPositions.last.format(total), casPositions.from, casPositions.guard,
                casPositions.conflictGuard.format(total), casPositions.updateGuard,
            )
            return "WITH x AS (SELECT pg_current_xact_id()::text::bigint + ${PostgresPositions.offset(names)} AS xid), " +
                "s AS (${streamCas(names, expected, total, positions)}) " +
                "INSERT INTO ${names.events} ($INSERT_HEAD) " +
                "SELECT $BASE + v.i, v.event_id, ?::text, s.stream_version - $total + v.i, v.type, ?::timestamptz, " +
                "v.content_type, v.metadata, v.data FROM s, x, ${rows(0, rows)}$VALUES_ALIAS"
        }
        // the common small batches are cached; larger ones are built each time (bounded memory per table set)
        if (total != rows || rows > CACHED_BATCH) return build()
        return firstSql.getOrPut("${names.events}|${names.streams}|${casKind(expected)}|$rows") { build() }
    }

    /** Largest batch whose statement text is cached. */
    private const val CACHED_BATCH = 32

    /** A later chunk of a large batch: same transaction, positions continue from the first chunk's base (a parameter). */
    private fun nextStatement(names: TableNames, from: Int, until: Int): String =
        "INSERT INTO ${names.events} ($INSERT_HEAD) " +
            "SELECT ?::bigint + v.i, v.event_id, ?::text, ?::bigint + v.i, v.type, ?::timestamptz, " +
            "v.content_type, v.metadata, v.data FROM ${rows(from, until)}$VALUES_ALIAS"

    private fun bindRows(ps: PreparedStatement, start: Int, batch: List<EncodedEvent>, from: Int, until: Int) {
        var p = start
        if (arrayRows(from, until)) {
            val rows = batch.subList(from, until)
            val connection = ps.connection
            ps.setArray(p++, connection.createArrayOf("text", Array(rows.size) { rows[it].id }))
            ps.setArray(p++, connection.createArrayOf("text", Array(rows.size) { rows[it].type }))
            ps.setArray(p++, connection.createArrayOf("text", Array(rows.size) { rows[it].contentType }))
            ps.setArray(p++, connection.createArrayOf("text", Array(rows.size) { rows[it].metadata }))
            ps.setArray(p, connection.createArrayOf("bytea", Array(rows.size) { rows[it].data }))
            return
        }
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
        highWater: Long,
    ): Inserted? {
        val n = batch.size
        val positions = LongArray(n)
        if (n <= CHUNK) {
            val base = session.prepare(firstStatement(names, expected, n, n)).use { ps ->
                var p = bindCas(ps, streamId, expected, highWater)
                ps.setString(p++, streamId)
                bindTimestamp(ps, p++, timestamp)
                bindRows(ps, p, batch, 0, n)
                collect(ps, positions, null)
            } ?: return null
            return Inserted(base + n, positions)
        }
        return session.transaction {
            val base = session.prepare(firstStatement(names, expected, n, CHUNK)).use { ps ->
                var p = bindCas(ps, streamId, expected, highWater)
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
                        ps.setLong(1, positions[0] - 1)
                        ps.setString(2, streamId)
                        ps.setLong(3, base)
                        bindTimestamp(ps, 4, timestamp)
                        bindRows(ps, 5, batch, from, until)
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

    override val coalesces: Boolean = true

    override fun insertGroup(session: Session, names: TableNames, members: List<GroupMember>, timestamp: Instant, highWater: Long): Array<Inserted?> =
        PostgresGroupInsert.insert(session, names, members, timestamp, highWater)

    override fun storedHighWater(session: Session, names: TableNames): Long = PostgresPositions.storedHighWater(session, names)

    override fun positionFault(session: Session, names: TableNames, highWater: Long): String? =
        PostgresPositions.fault(session, names, highWater)
}
