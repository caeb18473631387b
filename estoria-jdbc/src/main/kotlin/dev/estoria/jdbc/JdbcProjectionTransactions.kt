package dev.estoria.jdbc

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.LeaseLostException
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.LeaseQueries
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.Session
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.guard
import dev.estoria.projection.BatchCommitter
import dev.estoria.projection.EventHandler
import dev.estoria.projection.Lease
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.core.vendors.SQLiteDialect
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.suspendTransaction
import java.sql.Connection
import javax.sql.DataSource
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * Effectively-once projections into the same database: a [BatchCommitter] that runs a batch's handlers and
 * the fenced checkpoint compare-and-set in ONE transaction. Either the read model's writes and the checkpoint
 * commit together, or neither does: a batch whose instance lost its lease ([LeaseLostException]) or whose
 * checkpoint moved ([CheckpointConflictException]) rolls back entirely and is applied by the owner instead.
 *
 * Two flavours:
 * - plain JDBC ([postgres], [sqlite]): handlers get the transaction's connection with [connection] (do not
 *   commit, roll back or close it);
 * - Exposed ([exposed]): handlers run inside an Exposed `suspendTransaction`, so the Exposed DSL works as is.
 *
 * The batch is read (by the processor, on another connection) before the transaction's first write, so its
 * own transaction id cannot cap the PostgreSQL frontier it reads. The transaction holds row locks and, on
 * SQLite, the database's write lock while the handlers run: keep batches short. Give the processor a
 * [JdbcLeaseStore] created with the same [JdbcStoreOptions] (the fence reads its table).
 *
 * Tested by `ProjectionTransactionsTest` (PostgreSQL and SQLite, plain JDBC and Exposed).
 */
public class JdbcProjectionTransactions private constructor(
    private val dataSource: DataSource?,
    private val database: Database?,
    private val queries: LeaseQueries,
    private val options: JdbcStoreOptions,
) : BatchCommitter {

    override suspend fun commit(name: String, previous: Long?, lease: Lease?, apply: suspend () -> Long?) {
        guard("commit projection batch", null) {
            withContext(options.dispatcher) {
                if (database != null) exposedCommit(database, name, previous, lease, apply) else plainCommit(name, previous, lease, apply)
            }
        }
    }

    private suspend fun plainCommit(name: String, previous: Long?, lease: Lease?, apply: suspend () -> Long?) {
        val source = dataSource ?: return
        source.connection.use { c ->
            // inline: the handlers may suspend inside; any failure rolls the whole batch back
            Session(c).transaction {
                queries.begin(c, name)
                val position = withContext(BatchConnection(c)) { apply() }
                finish(c, name, previous, lease, position)
            }
        }
    }

    private suspend fun exposedCommit(db: Database, name: String, previous: Long?, lease: Lease?, apply: suspend () -> Long?) {
        suspendTransaction(db) {
            val c = connection.connection as Connection
            queries.begin(c, name)
            val position = withContext(BatchConnection(c)) { apply() }
            finish(c, name, previous, lease, position)
        }
    }

    private fun finish(c: Connection, name: String, previous: Long?, lease: Lease?, position: Long?) {
        if (position == null) return
        if (lease != null) queries.fence(c, lease)
        queries.compareAndSet(c, name, previous, position)
    }

    override fun toString(): String = "JdbcProjectionTransactions(${if (database != null) "Exposed" else "JDBC"})"

    /** The connection of the batch being applied, in the handlers' coroutine context. */
    private class BatchConnection(val connection: Connection) : AbstractCoroutineContextElement(Key) {
        companion object Key : CoroutineContext.Key<BatchConnection>
    }

    /** Factories (each blocks while the checkpoint and lease tables are created or validated) and the handlers' connection. */
    public companion object {
        /**
         * The connection of the batch transaction the calling handler runs in (plain JDBC or Exposed flavour).
         *
         * @throws InvalidInputException when called outside a handler run by a [JdbcProjectionTransactions].
         */
        @JvmStatic
        public suspend fun connection(): Connection =
            currentCoroutineContext()[BatchConnection]?.connection
                ?: throw InvalidInputException("JdbcProjectionTransactions.connection() is only available in a handler of a same-transaction processor")

        /**
         * Adapts a blocking [JdbcEventHandler] (Java) to a projection handler that gets the batch transaction's
         * connection; calling it outside a same-transaction processor fails with [InvalidInputException].
         */
        @JvmStatic
        public fun <E> handler(handler: JdbcEventHandler<E>): EventHandler<E> = EventHandler { e, env -> handler.handle(e, env, connection()) }

        /** Plain JDBC batches on PostgreSQL. */
        @JvmStatic
        @JvmOverloads
        public fun postgres(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcProjectionTransactions =
            create(dataSource, null, PostgresDialect, options)

        /** Plain JDBC batches on SQLite. */
        @JvmStatic
        @JvmOverloads
        public fun sqlite(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcProjectionTransactions =
            create(dataSource, null, SqliteDialect, options)

        /**
         * Exposed batches on [database] (PostgreSQL or SQLite).
         *
         * @throws InvalidInputException when the database is neither.
         */
        @JvmStatic
        @JvmOverloads
        public fun exposed(database: Database, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcProjectionTransactions {
            val dialect = when (database.dialect) {
                is PostgreSQLDialect -> PostgresDialect
                is SQLiteDialect -> SqliteDialect
                else -> throw InvalidInputException("same-transaction projections support PostgreSQL and SQLite, not ${database.vendor}")
            }
            return create(null, database, dialect, options)
        }

        private fun create(dataSource: DataSource?, database: Database?, dialect: Dialect, options: JdbcStoreOptions): JdbcProjectionTransactions {
            dev.estoria.jdbc.exposed.EstoriaTables.of(dialect, options) // refuses a schema on SQLite
            val names = TableNames(options.schema, options.tablePrefix)
            if (dataSource != null) {
                for (component in listOf(Component.CHECKPOINTS, Component.LEASES)) {
                    SchemaProvisioner.apply(JdbcRunner(dataSource, options.dispatcher), dialect, names, component, options.schemaMode)
                }
            }
            return JdbcProjectionTransactions(dataSource, database, LeaseQueries(dialect, names, options.clock), options)
        }
    }
}
