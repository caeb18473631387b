package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import dev.estoria.jdbc.internal.Identifiers
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import java.time.Clock
import java.util.concurrent.Executor

/**
 * Options shared by the JDBC event, snapshot and checkpoint stores. Build with [builder]; every
 * option has a default, so [DEFAULT] is a complete configuration.
 *
 * Names are validated as SQL identifiers (`[a-z_][a-z0-9_]*`) when the options are built, so nothing
 * from configuration can inject SQL, and every accepted name works unquoted: a schema name must not be
 * a PostgreSQL reserved keyword (`user`, `select`, `table`, …) nor start with `pg_`, a table prefix must
 * not start with `sqlite_`. An invalid name throws [InvalidInputException].
 */
public class JdbcStoreOptions private constructor(builder: Builder) {
    /**
     * The PostgreSQL schema holding the tables, created when missing in [SchemaMode.CREATE].
     * Default `null`: unqualified table names, resolved through the connection's `search_path`
     * (normally `public`). Must be `null` for SQLite. `[a-z_][a-z0-9_]*`, at most 63 characters, not a
     * PostgreSQL reserved keyword, not starting with `pg_`.
     */
    public val schema: String? = builder.schema

    /**
     * Prefix of every table name: `<prefix>events`, `<prefix>streams`, `<prefix>snapshots`,
     * `<prefix>checkpoints`, `<prefix>schema_version`. Default `estoria_`. Empty or
     * `[a-z_][a-z0-9_]*`, at most 30 characters, not starting with `sqlite_`.
     */
    public val tablePrefix: String = builder.tablePrefix

    /** What to do with the tables on creation. Default [SchemaMode.CREATE]. */
    public val schemaMode: SchemaMode = builder.schemaMode

    /**
     * The largest event accepted, in bytes: every byte its row stores (payload, UTF-8 metadata JSON,
     * content type, type name, event id and stream id); larger events fail with
     * [dev.estoria.error.EventTooLargeException] before anything is written. Default 4 MiB (4,194,304).
     */
    public val maxEventSize: Int = builder.maxEventSize

    /** Events fetched per query when reading; each page is one short query. Default 500. */
    public val pageSize: Int = builder.pageSize

    /** Source of event and snapshot timestamps (truncated to microseconds). Default: UTC system clock. */
    public val clock: Clock = builder.clock

    /**
     * Where blocking JDBC calls run. Default [Dispatchers.IO]; a dispatcher sized to the connection
     * pool (e.g. `Dispatchers.IO.limitedParallelism(poolSize)`) avoids threads waiting on the pool.
     */
    public val dispatcher: CoroutineDispatcher = builder.dispatcher

    /**
     * PostgreSQL: whether concurrent appends are coalesced. At most [appendWriters] append statements run
     * at once; appends that arrive while they all run queue, and the next free writer writes the whole
     * queue (one append per stream, up to 256 appends and 1,000 events) as ONE statement and one commit,
     * each append under its own expected version and with exactly the outcome it would have alone
     * (versions, positions, conflict, idempotent retry, duplicate id). Nothing waits on a timer: an append
     * that finds a writer free runs at once. A lost connection makes every append of its statement
     * [dev.estoria.error.AppendOutcomeUnknownException] (retries are idempotent); a queued append whose
     * caller is cancelled is not written, one already in a statement with others is written with them.
     * Appends of more than 100 events and empty appends always run alone. SQLite writes one append at a
     * time and ignores this. Default `true` (module test: `PostgresAppendCoalescingTest`; see
     * docs/jdbc.md#coalesced-appends).
     */
    public val coalesceAppends: Boolean = builder.coalesceAppends

    /**
     * PostgreSQL with [coalesceAppends]: how many append statements run at once (each on its own pooled
     * connection). Fewer writers make larger groups (less work per event on both sides); more writers
     * overlap more round trips. Default 2; at least 1.
     */
    public val appendWriters: Int = builder.appendWriters

    init {
        if (appendWriters < 1) throw InvalidInputException("appendWriters must be >= 1, was $appendWriters")
        schema?.let { Identifiers.requireSchema(it) }
        Identifiers.requirePrefix(tablePrefix)
        if (maxEventSize < 1) throw InvalidInputException("maxEventSize must be >= 1, was $maxEventSize")
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
    }

    /** A builder starting from these options. */
    public fun toBuilder(): Builder = Builder(this)

    /** Returns these options with [schema] replaced (for schema-per-tenant setups). */
    public fun withSchema(schema: String?): JdbcStoreOptions = toBuilder().schema(schema).build()

    override fun toString(): String =
        "JdbcStoreOptions(schema=$schema, tablePrefix='$tablePrefix', schemaMode=$schemaMode, " +
            "maxEventSize=$maxEventSize, pageSize=$pageSize, coalesceAppends=$coalesceAppends, appendWriters=$appendWriters)"

    /** Builder of [JdbcStoreOptions]; each setter documents its default on the matching property. */
    public class Builder internal constructor(from: JdbcStoreOptions?) {
        internal var schema: String? = from?.schema
        internal var tablePrefix: String = from?.tablePrefix ?: DEFAULT_PREFIX
        internal var schemaMode: SchemaMode = from?.schemaMode ?: SchemaMode.CREATE
        internal var maxEventSize: Int = from?.maxEventSize ?: DEFAULT_MAX_EVENT_SIZE
        internal var pageSize: Int = from?.pageSize ?: DEFAULT_PAGE_SIZE
        internal var clock: Clock = from?.clock ?: Clock.systemUTC()
        internal var dispatcher: CoroutineDispatcher = from?.dispatcher ?: Dispatchers.IO
        internal var coalesceAppends: Boolean = from?.coalesceAppends ?: true
        internal var appendWriters: Int = from?.appendWriters ?: DEFAULT_APPEND_WRITERS

        /** See [JdbcStoreOptions.schema]. */
        public fun schema(schema: String?): Builder = apply { this.schema = schema }

        /** See [JdbcStoreOptions.tablePrefix]. */
        public fun tablePrefix(prefix: String): Builder = apply { this.tablePrefix = prefix }

        /** See [JdbcStoreOptions.schemaMode]. */
        public fun schemaMode(mode: SchemaMode): Builder = apply { this.schemaMode = mode }

        /** See [JdbcStoreOptions.maxEventSize]. */
        public fun maxEventSize(bytes: Int): Builder = apply { this.maxEventSize = bytes }

        /** See [JdbcStoreOptions.pageSize]. */
        public fun pageSize(events: Int): Builder = apply { this.pageSize = events }

        /** See [JdbcStoreOptions.clock]. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** See [JdbcStoreOptions.dispatcher]. */
        public fun dispatcher(dispatcher: CoroutineDispatcher): Builder = apply { this.dispatcher = dispatcher }

        /** See [JdbcStoreOptions.coalesceAppends]. */
        public fun coalesceAppends(coalesce: Boolean): Builder = apply { this.coalesceAppends = coalesce }

        /** See [JdbcStoreOptions.appendWriters]. */
        public fun appendWriters(writers: Int): Builder = apply { this.appendWriters = writers }

        /**
         * Runs the blocking JDBC calls on [executor] (for Java callers: a pool sized to the connection
         * pool); the same as [dispatcher] with `executor.asCoroutineDispatcher()`.
         */
        public fun executor(executor: Executor): Builder = dispatcher(executor.asCoroutineDispatcher())

        /**
         * Builds the options.
         *
         * @throws InvalidInputException when a name is not a valid identifier or a number is out of range.
         */
        public fun build(): JdbcStoreOptions = JdbcStoreOptions(this)
    }

    /** Defaults and the builder. */
    public companion object {
        /** Default [tablePrefix]. */
        public const val DEFAULT_PREFIX: String = "estoria_"

        /** Default [maxEventSize]: 4 MiB. */
        public const val DEFAULT_MAX_EVENT_SIZE: Int = 4 * 1024 * 1024

        /** Default [appendWriters]. */
        public const val DEFAULT_APPEND_WRITERS: Int = 2

        /** Default [pageSize]. */
        public const val DEFAULT_PAGE_SIZE: Int = 500

        /** All defaults. */
        @JvmField
        public val DEFAULT: JdbcStoreOptions = Builder(null).build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder(null)
    }
}
