package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.EventEngine
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.SqliteDataSources
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import java.nio.file.Path
import javax.sql.DataSource

/**
 * The SQLite event store (SQLite 3.35 or later, through `org.xerial:sqlite-jdbc`): the embedded
 * default, no server needed.
 *
 * SQLite admits one writer at a time, so appends run in a short transaction (compare-and-set on the
 * streams row, multi-row insert) ordered by an in-process mutex, and `AUTOINCREMENT` positions are
 * committed in order: every committed prefix of the global order is already stable.
 *
 * Create one on a file with [file], or on your own `DataSource` with [create]. Close it at shutdown
 * ([close]): the WAL is checkpointed into the `.db` file, which is then a complete copy on its own.
 */
public class SqliteEventStore private constructor(engine: EventEngine, options: JdbcStoreOptions, owned: AutoCloseable?) :
    JdbcEventStore(engine, options, owned) {

    override fun toString(): String = "SqliteEventStore($options)"

    /** Factories. */
    public companion object {
        /**
         * Creates a store on [dataSource]. Blocks while the schema is created or validated: call it at
         * startup. For concurrent use, configure the data source with WAL journal mode and a busy
         * timeout (as [dataSource] does).
         *
         * @throws InvalidInputException when [JdbcStoreOptions.schema] is set (SQLite has no schemas).
         * @throws dev.estoria.error.StoreException when the schema cannot be created or fails validation.
         */
        @JvmStatic
        @JvmOverloads
        public fun create(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): SqliteEventStore =
            open(dataSource, options, owned = null)

        /**
         * Creates a store in the SQLite database file [path] (created with its parent directories when
         * missing), with WAL journal mode, a 10 s busy timeout and a small internal connection pool that
         * the store owns: [close] checkpoints the WAL and closes those connections.
         *
         * @throws dev.estoria.error.StoreException when a parent directory cannot be created (a path
         *   component is a regular file, no permission) or the schema cannot be created.
         */
        @JvmStatic
        @JvmOverloads
        public fun file(path: Path, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): SqliteEventStore {
            requireNoSchema(options)
            val dataSource = SqliteDataSources.file(path)
            return try {
                open(dataSource, options, owned = dataSource)
            } catch (e: Throwable) {
                dataSource.close()
                throw e
            }
        }

        private fun requireNoSchema(options: JdbcStoreOptions) {
            if (options.schema != null) throw InvalidInputException("SQLite has no schemas: leave JdbcStoreOptions.schema unset")
        }

        private fun open(dataSource: DataSource, options: JdbcStoreOptions, owned: AutoCloseable?): SqliteEventStore {
            requireNoSchema(options)
            val names = TableNames(null, options.tablePrefix)
            val runner = JdbcRunner(dataSource, options.dispatcher, sqlite = true)
            SchemaProvisioner.apply(runner, SqliteDialect, names, Component.EVENTS, options.schemaMode)
            return SqliteEventStore(EventEngine(runner, SqliteDialect, names, options), options, owned)
        }

        /**
         * A pooled `DataSource` on the SQLite file [path], configured for concurrent use (WAL journal,
         * `synchronous=NORMAL`, 10 s busy timeout); share it between the event, snapshot and checkpoint
         * stores of one file.
         *
         * @throws dev.estoria.error.StoreException when a parent directory cannot be created.
         */
        @JvmStatic
        public fun dataSource(path: Path): DataSource = SqliteDataSources.file(path)

        /**
         * The DDL [create] runs in [SchemaMode.CREATE] for the event, snapshot and checkpoint tables.
         *
         * @throws InvalidInputException when [JdbcStoreOptions.schema] is set (SQLite has no schemas).
         */
        @JvmStatic
        @JvmOverloads
        public fun ddl(options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): String {
            requireNoSchema(options)
            return SchemaProvisioner.ddl(SqliteDialect, TableNames(null, options.tablePrefix), Component.entries)
        }
    }
}
