package dev.estoria.jdbc.internal

/**
 * What the snapshots table needs beyond its DDL: the in-place upgrade of a version-1 table (schema
 * version 2 added the nullable `last_event_id` column), and the deletion of a deleted stream's
 * snapshots by the event store, in the delete's transaction.
 */
internal object SnapshotsSchema {
    private const val LAST_EVENT_ID = "last_event_id"

    /**
     * Upgrades a version-1 snapshots table to version 2 (adds `last_event_id TEXT NULL`: old rows have
     * none and are replaced on their next load). Runs inside the provisioning transaction, under its lock.
     */
    fun upgrade(s: Session, names: TableNames) {
        val recorded = s.prepare("SELECT version FROM ${names.schemaVersion} WHERE component = ?").use { ps ->
            ps.setString(1, Component.SNAPSHOTS.key)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getInt(1) else null }
        }
        if (recorded != 1) return
        if (!hasColumn(s, names, LAST_EVENT_ID)) {
            s.connection.createStatement().use { it.execute("ALTER TABLE ${names.snapshots} ADD COLUMN $LAST_EVENT_ID TEXT") }
        }
        s.prepare("UPDATE ${names.schemaVersion} SET version = ? WHERE component = ? AND version = 1").use { ps ->
            ps.setInt(1, Component.SNAPSHOTS.version)
            ps.setString(2, Component.SNAPSHOTS.key)
            ps.executeUpdate()
        }
    }

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

    private fun hasColumn(s: Session, names: TableNames, column: String): Boolean {
        val schema = names.schema ?: s.connection.schema
        s.connection.metaData.getColumns(null, schema, names.local("snapshots"), null).use { rs ->
            while (rs.next()) if (rs.getString("COLUMN_NAME").equals(column, ignoreCase = true)) return true
        }
        return false
    }
}
