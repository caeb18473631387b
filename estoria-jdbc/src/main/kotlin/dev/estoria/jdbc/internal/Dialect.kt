package dev.estoria.jdbc.internal

import dev.estoria.event.ExpectedVersion
import java.sql.PreparedStatement
import java.sql.ResultSet
import java.sql.SQLException
import java.time.Instant

/** The tables a store owns; each is versioned separately in the schema-version table. */
internal enum class Component(val key: String, val version: Int) {
    EVENTS("events", 2),
    SNAPSHOTS("snapshots", 2),
    CHECKPOINTS("checkpoints", 1),
    LEASES("leases", 1),
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

    /**
     * An SQL scalar expression: the exclusive upper bound of the stable prefix now (no position at or
     * above it is returned by a global read).
     */
    abstract fun frontier(names: TableNames): String

    abstract fun ddl(component: Component, names: TableNames): List<String>

    /**
     * The statements that bring [component]'s tables from version [from] to [Component.version] in place
     * (run by `SchemaMode.CREATE` inside the provisioning transaction); empty when there is no such step.
     */
    abstract fun upgrade(component: Component, names: TableNames, from: Int): List<String>

    /** The last work of a closing store on one connection (SQLite: fold the WAL into the database file). */
    open fun onClose(session: Session) {}

    /** Serializes concurrent provisioning of the same tables (inside the provisioning transaction). */
    abstract fun lockForProvisioning(session: Session, names: TableNames)

    /** An SQL expression: the database clock now, in this dialect's timestamp column type (leases are judged on it). */
    abstract val now: String

    /** An SQL expression: the database clock now plus a parameter of microseconds. */
    abstract val nowPlusMicros: String

    /** How the lease upsert names the existing row: an alias clause for the INSERT and the name to qualify columns with. */
    protected abstract fun leaseRow(names: TableNames): Pair<String, String>

    /** The lease acquisition upsert (name, owner, duration micros); returns (epoch, expires_at) when acquired. */
    fun acquireLeaseSql(names: TableNames): String {
        val (alias, l) = leaseRow(names)
        return "INSERT INTO ${names.leases}$alias (name, owner, epoch, expires_at, acquired_at) VALUES (?, ?, 1, $nowPlusMicros, $now) " +
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, epoch = $l.epoch + 1, " +
            "expires_at = excluded.expires_at, acquired_at = excluded.acquired_at " +
            "WHERE $l.expires_at <= $now OR $l.owner = excluded.owner RETURNING epoch, expires_at"
    }

    /** Serializes acquisitions of one lease (inside the acquiring transaction). */
    abstract fun lockLease(session: Session, names: TableNames, name: String)

    /**
     * The statement that checks, just before a checkpoint write, that the lease (name, owner, epoch) is held,
     * and keeps it from changing hands until the transaction ends; returns a row when held.
     */
    abstract fun fenceSql(names: TableNames): String

    /** A statement run first in a batch's transaction (parameter: the checkpoint name), or `null` when none is needed. */
    abstract fun unfencedBeginSql(names: TableNames): String?

    abstract fun bindTimestamp(ps: PreparedStatement, index: Int, instant: Instant)

    abstract fun readTimestamp(rs: ResultSet, index: Int): Instant

    abstract fun isUniqueViolation(e: SQLException): Boolean

    /**
     * Whether [e] says the statement lost to a concurrent writer under an isolation level above READ
     * COMMITTED (a database or role default the store does not control): nothing was written, and the
     * append is decided like any other rejected one (retry, or a version conflict).
     */
    abstract fun isSerializationFailure(e: SQLException): Boolean

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
        highWater: Long,
    ): Inserted?

    /**
     * Whether [insertGroup] writes several appends in one statement; when `false` the store never
     * coalesces appends (SQLite: one writer at a time, each append its own transaction).
     */
    open val coalesces: Boolean = false

    /**
     * Writes [members] (appends to distinct streams) in one statement and one commit, each under its own
     * expected version; per member in order what it stored, or `null` when its compare-and-set refused it.
     * Throws the driver's exception when the statement fails (nothing of any member written).
     */
    open fun insertGroup(session: Session, names: TableNames, members: List<GroupMember>, timestamp: Instant, highWater: Long): Array<Inserted?> =
        throw UnsupportedOperationException("$displayName does not coalesce appends")

    /**
     * The highest position stored (events and streams rows), the floor new positions must exceed, or 0
     * when the dialect assigns positions that cannot fall behind (SQLite).
     */
    abstract fun storedHighWater(session: Session, names: TableNames): Long

    /**
     * Why a rejected append whose expected version still holds cannot be retried, or `null` when it lost
     * a race and a retry gets a newer position. Throws nothing itself.
     */
    abstract fun positionFault(session: Session, names: TableNames, highWater: Long): String?

    protected fun versionTableDdl(names: TableNames, timestampType: String, now: String): String =
        "CREATE TABLE IF NOT EXISTS ${names.schemaVersion} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, " +
            "installed_at $timestampType NOT NULL DEFAULT $now)"

    protected fun versionRow(names: TableNames, component: Component): String =
        "INSERT INTO ${names.schemaVersion} (component, version) VALUES ('${component.key}', ${component.version}) " +
            "ON CONFLICT (component) DO NOTHING"

    protected fun versionUpdate(names: TableNames, component: Component): String =
        "UPDATE ${names.schemaVersion} SET version = ${component.version} WHERE component = '${component.key}'"

    /**
     * The SQL pieces that make the compare-and-set position-aware: [last] the batch's last position,
     * [from] a `FROM` clause supplying it, [guard] a condition on the new position alone, [conflictGuard]
     * and [updateGuard] the condition against the row's `last_position` (in `ON CONFLICT DO UPDATE`, and in
     * a plain `UPDATE`).
     */
    protected class CasPositions(
        val last: String,
        val from: String,
        val guard: String,
        val conflictGuard: String,
        val updateGuard: String,
    )

    /**
     * The compare-and-set on the streams row for a batch of [n] events: bumps the version by [n] and sets
     * `last_position` when [expected] holds and the [positions] guards pass, returns the new version;
     * returns no row otherwise. Parameters: the stream id, the guard's parameters, then the expected
     * version for [ExpectedVersion.Exact] above 0.
     */
    protected fun streamCas(names: TableNames, expected: ExpectedVersion, n: Int, positions: CasPositions): String {
        val s = names.streams
        val insert = "INSERT INTO $s AS st (stream_id, stream_version, last_position) " +
            "SELECT ?, $n, ${positions.last}${positions.from} WHERE ${positions.guard} ON CONFLICT (stream_id) DO "
        val bump = "UPDATE SET stream_version = st.stream_version + $n, last_position = excluded.last_position"
        val update = "UPDATE $s AS st SET stream_version = st.stream_version + $n, last_position = ${positions.last}${positions.from} " +
            "WHERE st.stream_id = ? AND ${positions.guard} AND ${positions.updateGuard}"
        return when (expected) {
            ExpectedVersion.Any -> "$insert$bump WHERE ${positions.conflictGuard} RETURNING stream_version"
            ExpectedVersion.NoStream -> "${insert}NOTHING RETURNING stream_version"
            ExpectedVersion.StreamExists -> "$update RETURNING stream_version"
            is ExpectedVersion.Exact ->
                if (expected.version == 0L) {
                    "$insert$bump WHERE st.stream_version = 0 AND ${positions.conflictGuard} RETURNING stream_version"
                } else {
                    "$update AND st.stream_version = ? RETURNING stream_version"
                }
        }
    }

    protected fun casKind(expected: ExpectedVersion): String =
        if (expected is ExpectedVersion.Exact) (if (expected.version == 0L) "exact0" else "exact") else expected.toString()

    /** Binds the compare-and-set's parameters (stream id, [guardParams], expected version); returns the next index. */
    protected fun bindCas(ps: PreparedStatement, streamId: String, expected: ExpectedVersion, vararg guardParams: Long): Int {
        var p = 1
        ps.setString(p++, streamId)
        for (value in guardParams) ps.setLong(p++, value)
        if (expected is ExpectedVersion.Exact && expected.version > 0) ps.setLong(p++, expected.version)
        return p
    }

    internal companion object {
        /** Rows per INSERT statement; larger batches use several statements in one transaction. */
        const val CHUNK = 1000
    }
}
