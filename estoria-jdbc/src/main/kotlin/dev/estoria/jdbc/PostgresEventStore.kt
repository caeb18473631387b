package dev.estoria.jdbc

import dev.estoria.error.StoreException
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.EventEngine
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.PostgresPositions
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.TableNames
import java.sql.SQLException
import javax.sql.DataSource

/**
 * The PostgreSQL event store (PostgreSQL 13 or later).
 *
 * - An append is one auto-committed statement (up to 1,000 events; larger batches use one
 *   transaction): a compare-and-set on the stream's row in `<prefix>streams` plus a multi-row insert
 *   into `<prefix>events`, whose unique `(stream_id, stream_version)` and `event_id` constraints are the
 *   backstop. A loser of a race gets `StreamVersionConflictException` with the actual version.
 * - Concurrent appends are coalesced ([JdbcStoreOptions.coalesceAppends]): those that queue behind the
 *   statements in flight are written as one statement and one commit, each with its own outcome
 *   (module test: `PostgresAppendCoalescingTest`).
 * - Global positions are `((transaction id + offset) << 20) + index in the batch`; `readAll` and
 *   `headPosition` return only positions below the oldest running writer's transaction
 *   (`pg_snapshot_xmin`), which makes the global order a stable prefix without any lock shared by
 *   writers. Within one stream positions rise with versions: the compare-and-set on the stream's row
 *   also requires the new position to be above the row's `last_position` (a writer that got its
 *   transaction id before a competitor but its row lock after retries with a newer id).
 * - Writes are refused with [dev.estoria.error.GlobalPositionException] when the transaction counter is
 *   behind the stored positions (after a restore from a dump or a move by logical replication: run
 *   [rebasePositions] once) or when `xid + offset` reaches 2^43 - 2^40 (positions are signed 64-bit).
 * - [frontierStatus] reports how far the stable frontier lags and which transactions hold it.
 * - Appends work at any `default_transaction_isolation`: a serialization failure (REPEATABLE READ,
 *   SERIALIZABLE) is decided like a lost race (retry, or a version conflict). The isolation of the
 *   caller's own transaction used by `saveInCurrentTransaction` is the caller's.
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

        /**
         * Makes new global positions start above every stored one (and above [abovePosition], e.g. the
         * highest checkpoint a subscriber outside this database holds) by raising the stored offset added
         * to transaction ids; returns the offset. Run it once after restoring the database from a dump or
         * moving it by logical replication (both restart the transaction counter lower), with the
         * writers stopped: it waits for running appends and blocks new ones while it commits. Appends are
         * refused with [dev.estoria.error.GlobalPositionException] until it ran. Idempotent; the offset
         * never decreases. Tested by `PostgresPositionSafetyTest`.
         *
         * @throws dev.estoria.error.GlobalPositionException when the offset would reach the position limit.
         * @throws dev.estoria.error.StoreException when the database fails.
         */
        @JvmStatic
        @JvmOverloads
        public fun rebasePositions(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT, abovePosition: Long = 0): Long {
            val names = TableNames(options.schema, options.tablePrefix)
            return try {
                JdbcRunner(dataSource, options.dispatcher).blocking { s ->
                    s.transaction {
                        PostgresDialect.lockForProvisioning(s, names)
                        PostgresPositions.rebase(s, names, abovePosition)
                    }
                }
            } catch (e: SQLException) {
                throw StoreException("rebase positions", null, e)
            }
        }

        /** The DDL [create] runs in [SchemaMode.CREATE] for the event, snapshot and checkpoint tables. */
        @JvmStatic
        @JvmOverloads
        public fun ddl(options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): String =
            SchemaProvisioner.ddl(PostgresDialect, TableNames(options.schema, options.tablePrefix), Component.entries)
    }
}
