package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.exposed.InstantColumnType
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import java.time.Instant

/**
 * The `<prefix>checkpoints` table as an Exposed [Table]; `JdbcCheckpointStore` writes through this
 * definition and reads with one plain `SELECT` of its columns.
 *
 * Get one from [EstoriaTables.checkpoints].
 */
public class CheckpointsTable internal constructor(names: TableNames, dialect: Dialect) : Table(names.checkpoints) {
    /** The checkpoint (projection) name. */
    public val name: Column<String> = text("name")

    /** The last global position the projection has processed. */
    public val position: Column<Long> = long("position")

    /** When the checkpoint was last saved (microsecond precision). */
    public val updatedAt: Column<Instant> = registerColumn("updated_at", InstantColumnType(dialect))

    /** The primary key: [name]. */
    override val primaryKey: PrimaryKey = PrimaryKey(name)
}
