package dev.estoria.jdbc.internal

import dev.estoria.error.GlobalPositionException

/**
 * The PostgreSQL position arithmetic that is not on the append path: the stored offset, the overflow
 * limit, the high-water mark, and the diagnosis of an append that cannot get a valid position.
 *
 * Positions are `((xid + offset) << 20) + index`, signed 64-bit: `xid + offset` must stay below 2^43.
 * Writes are refused from [LIMIT_XID] = 2^43 - 2^40 on (about 7.7 trillion transactions over the
 * server's lifetime, offset included), leaving 2^40 transactions of margin. The offset exists for a
 * database whose transaction counter restarted lower than its stored positions (restore from a dump,
 * move by logical replication): `PostgresEventStore.rebasePositions` raises it so that new positions
 * are above every stored one.
 */
internal object PostgresPositions {
    /** `xid + offset` from which appends are refused. */
    const val LIMIT_XID: Long = (1L shl 43) - (1L shl 40)

    fun offsetTable(names: TableNames): String = (names.schema?.let { "$it." } ?: "") + names.local("position_offset")

    fun offsetTableDdl(names: TableNames): String =
        "CREATE TABLE IF NOT EXISTS ${offsetTable(names)} (id INTEGER PRIMARY KEY CHECK (id = 1), xid_offset BIGINT NOT NULL)"

    /** The stored offset as an SQL scalar (0 when no row). */
    fun offset(names: TableNames): String = "COALESCE((SELECT xid_offset FROM ${offsetTable(names)} WHERE id = 1), 0)"

    /** The id the next transaction gets, plus the offset: the lowest `xid + offset` a new append can have. */
    private fun nextXid(names: TableNames): String = "pg_snapshot_xmax(pg_current_snapshot())::text::bigint + ${offset(names)}"

    private fun highWaterSql(names: TableNames): String =
        "GREATEST(COALESCE((SELECT max(global_position) FROM ${names.events}), 0), " +
            "COALESCE((SELECT max(last_position) FROM ${names.streams}), 0))"

    fun storedHighWater(session: Session, names: TableNames): Long =
        session.prepare("SELECT ${highWaterSql(names)}").use { ps -> ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else 0L } }

    /** See [Dialect.positionFault]; [highWater] is the store's cached mark, checked against the database's own. */
    fun fault(session: Session, names: TableNames, highWater: Long): String? {
        val (next, stored) = session.prepare("SELECT ${nextXid(names)}, ${highWaterSql(names)}").use { ps ->
            ps.executeQuery().use { rs ->
                rs.next()
                rs.getLong(1) to rs.getLong(2)
            }
        }
        if (next >= LIMIT_XID) {
            return "global positions are exhausted: transaction id + offset = $next reached the limit $LIMIT_XID " +
                "(positions are (xid + offset) << 20 in a signed 64-bit integer); copy the events into a new database " +
                "(positions restart from its counter) and resume subscribers from the new positions"
        }
        val floor = maxOf(highWater, stored)
        if ((next shl PostgresDialect.XID_BITS) <= floor) {
            return "the database's transaction counter (next id + offset = $next) is behind the stored global positions " +
                "(up to $floor): a restore from a dump or a move by logical replication restarted it lower, and new events " +
                "would get positions below stored ones (subscribers would skip them). Stop the writers and run " +
                "PostgresEventStore.rebasePositions(dataSource, options) once"
        }
        return null
    }

    /**
     * Raises the stored offset so that every new position is above [above] and above every stored
     * position; returns the offset. Runs in [session]'s open transaction, after the caller took the
     * provisioning lock: the streams table is locked against writers first, so no append runs with the
     * old offset once the new one is committed.
     */
    fun rebase(session: Session, names: TableNames, above: Long): Long {
        session.prepare("LOCK TABLE ${names.streams} IN SHARE ROW EXCLUSIVE MODE").use { it.execute() }
        val (next, current, stored) = session.prepare(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, ${offset(names)}, ${highWaterSql(names)}",
        ).use { ps ->
            ps.executeQuery().use { rs ->
                rs.next()
                Triple(rs.getLong(1), rs.getLong(2), rs.getLong(3))
            }
        }
        val floor = maxOf(above, stored)
        val needed = (floor shr PostgresDialect.XID_BITS) + 1 - next
        val offset = maxOf(current, needed)
        if (next + offset >= LIMIT_XID) {
            throw GlobalPositionException("rebase positions", "an offset of $offset would put positions past the limit $LIMIT_XID")
        }
        session.prepare(
            "INSERT INTO ${offsetTable(names)} (id, xid_offset) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET xid_offset = excluded.xid_offset",
        ).use { ps ->
            ps.setLong(1, offset)
            ps.executeUpdate()
        }
        return offset
    }
}
