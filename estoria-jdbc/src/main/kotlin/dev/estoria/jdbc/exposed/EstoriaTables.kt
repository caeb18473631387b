package dev.estoria.jdbc.exposed

import dev.estoria.error.InvalidInputException
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames

/**
 * The Exposed definitions of the tables the JDBC stores own, for the schema and table prefix of one
 * [JdbcStoreOptions]. The snapshot and checkpoint stores work through them; Exposed applications use
 * them to query the event log, or to save a checkpoint inside their own transaction.
 *
 * ```kotlin
 * val tables = EstoriaTables.postgres(options)
 * transaction(db) { tables.events.selectAll().where { tables.events.type eq "deposited" }.count() }
 * ```
 *
 * @property events the `<prefix>events` table.
 * @property streams the `<prefix>streams` table.
 * @property snapshots the `<prefix>snapshots` table.
 * @property checkpoints the `<prefix>checkpoints` table.
 * @property leases the `<prefix>leases` table (projection leases, see `JdbcLeaseStore`).
 */
public class EstoriaTables private constructor(names: TableNames, dialect: Dialect) {
    public val events: EventsTable = EventsTable(names, dialect)
    public val streams: StreamsTable = StreamsTable(names)
    public val snapshots: SnapshotsTable = SnapshotsTable(names, dialect)
    public val checkpoints: CheckpointsTable = CheckpointsTable(names, dialect)
    public val leases: LeasesTable = LeasesTable(names, dialect)

    /** Factories, one per dialect. */
    public companion object {
        /** The tables of the PostgreSQL stores created with [options] (default: `public`, `estoria_`). */
        @JvmStatic
        @JvmOverloads
        public fun postgres(options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): EstoriaTables = of(PostgresDialect, options)

        /** The tables of the SQLite stores created with [options] (default prefix `estoria_`). */
        @JvmStatic
        @JvmOverloads
        public fun sqlite(options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): EstoriaTables = of(SqliteDialect, options)

        internal fun of(dialect: Dialect, options: JdbcStoreOptions): EstoriaTables {
            if (dialect == SqliteDialect && options.schema != null) {
                throw InvalidInputException("SQLite has no schemas: leave JdbcStoreOptions.schema unset")
            }
            return of(dialect, TableNames(options.schema, options.tablePrefix))
        }

        internal fun of(dialect: Dialect, names: TableNames): EstoriaTables = EstoriaTables(names, dialect)
    }
}
