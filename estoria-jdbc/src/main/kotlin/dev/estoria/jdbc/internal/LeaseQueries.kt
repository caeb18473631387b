package dev.estoria.jdbc.internal

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.LeaseLostException
import dev.estoria.projection.Lease
import java.sql.Connection
import java.time.Clock
import java.time.Duration

/** The lease and fenced-checkpoint statements of one table set, run on a caller's connection (no commit). */
internal class LeaseQueries(private val dialect: Dialect, private val names: TableNames, private val clock: Clock) {
    private fun micros(duration: Duration): Long = Micros.toMicros(java.time.Instant.EPOCH.plus(duration))

    fun acquire(session: Session, name: String, owner: String, duration: Duration): Lease? {
        dialect.lockLease(session, names, name)
        return session.prepare(dialect.acquireLeaseSql(names)).use { ps ->
            ps.setString(1, name)
            ps.setString(2, owner)
            ps.setLong(3, micros(duration))
            ps.executeQuery().use { rs -> if (rs.next()) Lease(name, owner, rs.getLong(1), dialect.readTimestamp(rs, 2)) else null }
        }
    }

    fun renew(session: Session, lease: Lease, duration: Duration): Lease? =
        session.prepare(
            "UPDATE ${names.leases} SET expires_at = ${dialect.nowPlusMicros} " +
                "WHERE name = ? AND owner = ? AND epoch = ? AND expires_at > ${dialect.now} RETURNING expires_at",
        ).use { ps ->
            ps.setLong(1, micros(duration))
            ps.setString(2, lease.name)
            ps.setString(3, lease.owner)
            ps.setLong(4, lease.epoch)
            ps.executeQuery().use { rs -> if (rs.next()) Lease(lease.name, lease.owner, lease.epoch, dialect.readTimestamp(rs, 1)) else null }
        }

    fun release(session: Session, lease: Lease) {
        session.prepare("UPDATE ${names.leases} SET expires_at = ${dialect.now} WHERE name = ? AND owner = ? AND epoch = ?").use { ps ->
            ps.setString(1, lease.name)
            ps.setString(2, lease.owner)
            ps.setLong(3, lease.epoch)
            ps.executeUpdate()
        }
    }

    /** Every lease under [prefix] with whether it is held now on the database clock, in name order. */
    fun list(session: Session, prefix: String): List<Lease> =
        session.prepare(
            "SELECT name, owner, epoch, expires_at, CASE WHEN expires_at > ${dialect.now} THEN 1 ELSE 0 END FROM ${names.leases} " +
                "WHERE substr(name, 1, ?) = ? ORDER BY name",
        ).use { ps ->
            // both databases count characters (code points), not UTF-16 units
            ps.setInt(1, prefix.codePointCount(0, prefix.length))
            ps.setString(2, prefix)
            ps.executeQuery().use { rs ->
                val out = ArrayList<Lease>()
                while (rs.next()) out += Lease(rs.getString(1), rs.getString(2), rs.getLong(3), dialect.readTimestamp(rs, 4), rs.getInt(5) == 1)
                out
            }
        }

    fun delete(session: Session, name: String) {
        session.prepare("DELETE FROM ${names.leases} WHERE name = ?").use { ps ->
            ps.setString(1, name)
            ps.executeUpdate()
        }
    }

    /**
     * First statement of a batch's transaction on SQLite: takes the write lock, so the transaction never reads
     * a snapshot it cannot then write from. Nothing on PostgreSQL.
     */
    fun begin(connection: Connection, checkpoint: String) {
        val sql = dialect.unfencedBeginSql(names) ?: return
        connection.prepareStatement(sql).use { ps ->
            ps.setString(1, checkpoint)
            ps.executeUpdate()
        }
    }

    /**
     * Checks, just before the checkpoint write, that [lease] is still held (same epoch, not expired on the
     * database clock) and keeps it from changing hands until the transaction ends.
     *
     * @throws LeaseLostException when it is not held.
     */
    fun fence(connection: Connection, lease: Lease) {
        val held = connection.prepareStatement(dialect.fenceSql(names)).use { ps ->
            ps.setString(1, lease.name)
            ps.setString(2, lease.owner)
            ps.setLong(3, lease.epoch)
            ps.executeQuery().use { it.next() }
        }
        if (!held) throw LeaseLostException(lease.name, lease.epoch, "lease '${lease.name}' of ${lease.owner} at epoch ${lease.epoch} is no longer held")
    }

    /**
     * Moves checkpoint [name] from [previous] to [position].
     *
     * @throws CheckpointConflictException when it is not at [previous].
     */
    fun compareAndSet(connection: Connection, name: String, previous: Long?, position: Long) {
        val sql = if (previous == null) {
            "INSERT INTO ${names.checkpoints} (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"
        } else {
            "UPDATE ${names.checkpoints} SET position = ?, updated_at = ? WHERE name = ? AND position = ?"
        }
        val changed = connection.prepareStatement(sql).use { ps ->
            val now = Micros.truncate(clock.instant())
            if (previous == null) {
                ps.setString(1, name)
                ps.setLong(2, position)
                dialect.bindTimestamp(ps, 3, now)
            } else {
                ps.setLong(1, position)
                dialect.bindTimestamp(ps, 2, now)
                ps.setString(3, name)
                ps.setLong(4, previous)
            }
            ps.executeUpdate()
        }
        if (changed != 1) throw CheckpointConflictException(name, previous)
    }
}
