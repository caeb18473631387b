package dev.estoria.jdbc.internal

/**
 * What the snapshots table needs beyond its DDL (and its in-place upgrade from version 1, in the
 * dialects): the deletion of a deleted stream's snapshots by the event store, in the delete's transaction.
 */
internal object SnapshotsSchema {
    /** Deletes the snapshots of [streamId] from the snapshots table of [names], when that table exists. */
    fun deleteOf(s: Session, dialect: Dialect, names: TableNames, streamId: String) {
        if (!exists(s, dialect, names)) return
        s.prepare("DELETE FROM ${names.snapshots} WHERE aggregate_id = ?").use { ps ->
            ps.setString(1, streamId)
            ps.executeUpdate()
        }
    }

    private fun exists(s: Session, dialect: Dialect, names: TableNames): Boolean = when (dialect) {
        // to_regclass resolves the name as the DELETE would (search path when unqualified), null when missing
        PostgresDialect -> s.prepare("SELECT to_regclass(?) IS NOT NULL").use { ps ->
            ps.setString(1, names.snapshots)
            ps.executeQuery().use { rs -> rs.next() && rs.getBoolean(1) }
        }
        SqliteDialect -> s.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").use { ps ->
            ps.setString(1, names.snapshots)
            ps.executeQuery().use { rs -> rs.next() }
        }
    }

}
