package dev.estoria.jdbc

import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.EventEngine
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.TableNames
import javax.sql.DataSource

/**
 * The PostgreSQL event store (PostgreSQL 13 or later).
 *
 * - An append is one auto-committed statement (up to 1,000 events; larger batches use one
 *   transaction): a compare-and-set on the stream's row in `<prefix>streams` plus a multi-row insert
 *   into `<prefix>events`, whose unique `(stream_id, stream_version)` and `event_id` constraints are the
 *   backstop. A loser of a race gets `StreamVersionConflictException` with the actual version.
 * - Global positions are `(transaction id << 20) + index in the batch`; `readAll` and `headPosition`
 *   return only positions below the oldest running writer's transaction (`pg_snapshot_xmin`), which
 *   makes the global order a stable prefix without any lock shared by writers.
 *
 * Create one with [create]; print the DDL with [ddl].
 */
public class PostgresEventStore private constructor(engine: EventEngine, options: JdbcStoreOptions) :
    JdbcEventStore(engine, options) {

    override fun toString(): String = "PostgresEventStore($options)"

    /** Factories. */
    public companion object {
        /**
         * Creates a store on [dataSource] (bring your own pool, e.g. HikariCP). Blocks while the schema
         * is created or validated per [JdbcStoreOptions.schemaMode]: call it at startup.
         *
         * @throws dev.estoria.error.StoreException when the schema cannot be created or fails validation.
         */
        @JvmStatic
        @JvmOverloads
        public fun create(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): PostgresEventStore {
            val names = TableNames(options.schema, options.tablePrefix)
            val runner = JdbcRunner(dataSource, options.dispatcher)
            SchemaProvisioner.apply(runner, PostgresDialect, names, Component.EVENTS, options.schemaMode)
            return PostgresEventStore(EventEngine(runner, PostgresDialect, names, options), options)
        }

        /** The DDL [create] runs in [SchemaMode.CREATE] for the event, snapshot and checkpoint tables. */
        @JvmStatic
        @JvmOverloads
        public fun ddl(options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): String =
            SchemaProvisioner.ddl(PostgresDialect, TableNames(options.schema, options.tablePrefix), Component.entries)
    }
}
