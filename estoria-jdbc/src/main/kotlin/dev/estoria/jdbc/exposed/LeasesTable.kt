package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.exposed.InstantColumnType
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import java.time.Instant

/**
 * The `<prefix>leases` table as an Exposed [Table]: one row per projection lease, written by
 * `JdbcLeaseStore` (on the database clock). Read it to see which instance owns which projection.
 *
 * Get one from [EstoriaTables.leases].
 */
public class LeasesTable internal constructor(names: TableNames, dialect: Dialect) : Table(names.leases) {
    /** The lease (projection checkpoint) name. */
    public val name: Column<String> = text("name")

    /** The instance that holds or last held it. */
    public val owner: Column<String> = text("owner")

    /** The acquisition counter that fences checkpoint writes. */
    public val epoch: Column<Long> = long("epoch")

    /** When the lease ends unless renewed (database clock). */
    public val expiresAt: Column<Instant> = registerColumn("expires_at", InstantColumnType(dialect))

    /** When it was last acquired (database clock). */
    public val acquiredAt: Column<Instant> = registerColumn("acquired_at", InstantColumnType(dialect))

    /** The primary key: [name]. */
    override val primaryKey: PrimaryKey = PrimaryKey(name)
}
