package dev.estoria.jdbc.internal

import dev.estoria.eventstore.FrontierHolder
import dev.estoria.eventstore.FrontierStatus
import java.time.Duration

/** The queries behind `GlobalFrontier.frontierStatus` (shared by both dialects, holders on PostgreSQL only). */
internal object FrontierQueries {
    fun status(session: Session, dialect: Dialect, names: TableNames): FrontierStatus {
        val e = names.events
        val (stable, newest, held) = session.prepare(
            "WITH f AS (SELECT ${dialect.frontier(names)} AS bound) SELECT " +
                "(SELECT COALESCE(max(global_position), 0) FROM $e, f WHERE global_position < f.bound), " +
                "(SELECT COALESCE(max(global_position), 0) FROM $e), " +
                "(SELECT count(*) FROM $e, f WHERE global_position >= f.bound)",
        ).use { ps ->
            ps.executeQuery().use { rs ->
                rs.next()
                Triple(rs.getLong(1), rs.getLong(2), rs.getLong(3))
            }
        }
        val holders = if (dialect == PostgresDialect && held > 0) postgresHolders(session, names, newest) else emptyList()
        return FrontierStatus(stable, newest, held, holders)
    }

    /**
     * Running transactions (any database of the server) and prepared ones whose id is below the newest
     * stored event's: each keeps `pg_snapshot_xmin` — and so the frontier — below that event. `backend_xid`
     * is a 32-bit xid: it is widened with the epoch of the current counter.
     */
    private fun postgresHolders(session: Session, names: TableNames, newest: Long): List<FrontierHolder> {
        val full = "(((n.nx >> 32) << 32) + x.xid32 - CASE WHEN x.xid32 > (n.nx & 4294967295) THEN 4294967296 ELSE 0 END)"
        val sql = "WITH n AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS nx, " +
            "${PostgresPositions.offset(names)} AS off), " +
            "x AS (SELECT pid, datname::text AS db, state, EXTRACT(EPOCH FROM (now() - xact_start)) AS age, " +
            "backend_xid::text::bigint AS xid32 FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() " +
            "UNION ALL SELECT 0, database::text, 'prepared', EXTRACT(EPOCH FROM (now() - prepared)), transaction::text::bigint " +
            "FROM pg_prepared_xacts) " +
            "SELECT x.pid, x.db, x.state, x.age, $full FROM x, n WHERE (($full + n.off) << ${PostgresDialect.XID_BITS}) < ? " +
            "ORDER BY x.age DESC"
        return session.prepare(sql).use { ps ->
            ps.setLong(1, newest)
            ps.executeQuery().use { rs ->
                val out = ArrayList<FrontierHolder>()
                while (rs.next()) {
                    val age = Duration.ofNanos(((rs.getDouble(4).takeIf { !rs.wasNull() } ?: 0.0) * 1e9).toLong())
                    out += FrontierHolder(rs.getInt(1), rs.getString(2), rs.getString(3), age, rs.getLong(5))
                }
                out
            }
        }
    }
}
