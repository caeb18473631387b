package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.exposed.InstantColumnType
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import java.time.Instant

/**
 * The `<prefix>snapshots` table as an Exposed [Table]; `JdbcSnapshotStore` writes it through this
 * definition and reads it with one plain `SELECT` of these columns.
 *
 * Get one from [EstoriaTables.snapshots].
 */
public class SnapshotsTable internal constructor(names: TableNames, dialect: Dialect) : Table(names.snapshots) {
    /** The aggregate id, `type_<uuid>` (the type keeps aggregate types apart). */
    public val aggregateId: Column<String> = text("aggregate_id")

    /** The aggregate version the snapshot was taken at. */
    public val aggregateVersion: Column<Long> = long("aggregate_version")

    /** The state codec's content type (may be empty). */
    public val contentType: Column<String> = text("content_type")

    /** The encoded state. */
    public val data: Column<ByteArray> = binary("data")

    /** When the snapshot was taken (microsecond precision). */
    public val createdAt: Column<Instant> = registerColumn("created_at", InstantColumnType(dialect))

    /**
     * The id of the aggregate's event at [aggregateVersion], checked against the stream on load; `null` in
     * rows written before schema version 2 (such snapshots are unverifiable and get replaced).
     */
    public val lastEventId: Column<String?> = text("last_event_id").nullable()

    /** The primary key: ([aggregateId], [aggregateVersion]). */
    override val primaryKey: PrimaryKey = PrimaryKey(aggregateId, aggregateVersion)
}
