package dev.estoria.jdbc

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.LeaseLostException
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.LeaseQueries
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.guard
import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseArguments
import dev.estoria.projection.LeaseStore
import java.time.Duration
import javax.sql.DataSource

/**
 * Projection leases in the `<prefix>leases` table, judged on the DATABASE clock (`clock_timestamp()` on
 * PostgreSQL, SQLite's `julianday('now')`), never the JVM's. Acquisitions are serialized by a
 * transaction-scoped advisory lock on PostgreSQL and by the database-wide write lock on SQLite; each one
 * bumps the epoch. The fenced checkpoint write moves the `<prefix>checkpoints` row that a
 * [JdbcCheckpointStore] with the same options loads, in one transaction that first locks the lease row
 * (`FOR SHARE` on PostgreSQL), so an acquisition by another instance waits for it and then sees its checkpoint.
 *
 * The tables are created or validated like the others ([JdbcStoreOptions.schemaMode]).
 * TCK: `LeaseStoreSuite`, `ProjectionSuite`. Create one with [postgres] or [sqlite].
 */
public class JdbcLeaseStore private constructor(
    private val runner: JdbcRunner,
    internal val dialect: Dialect,
    internal val names: TableNames,
    internal val queries: LeaseQueries,
) : LeaseStore {

    override suspend fun tryAcquire(name: String, owner: String, duration: Duration): Lease? {
        LeaseArguments.validate(name, owner, duration)
        return guard("acquire lease", null) { runner.withSession { s -> s.transaction { queries.acquire(s, name, owner, duration) } } }
    }

    override suspend fun renew(lease: Lease, duration: Duration): Lease {
        LeaseArguments.validate(lease.name, lease.owner, duration)
        return guard("renew lease", null) { runner.withSession { s -> queries.renew(s, lease, duration) } }
            ?: throw LeaseLostException(lease.name, lease.epoch, "lease '${lease.name}' of ${lease.owner} at epoch ${lease.epoch} expired or was taken over")
    }

    override suspend fun release(lease: Lease) {
        guard("release lease", null) { runner.withSession { s -> queries.release(s, lease) } }
    }

    /**
     * @throws LeaseLostException when [lease] is no longer held.
     * @throws CheckpointConflictException when the checkpoint is not at [previous].
     */
    override suspend fun commitCheckpoint(lease: Lease, previous: Long?, position: Long) {
        CheckpointNames.validate(lease.name, position)
        guard("commit checkpoint", null) {
            runner.withSession { s ->
                s.transaction {
                    queries.fence(s.connection, lease)
                    queries.compareAndSet(s.connection, lease.name, previous, position)
                }
            }
        }
    }

    override suspend fun leases(prefix: String): List<Lease> =
        guard("list leases", null) { runner.withSession { s -> queries.list(s, prefix) } }

    override suspend fun delete(name: String) {
        CheckpointNames.validate(name)
        guard("delete lease", null) { runner.withSession { s -> queries.delete(s, name) } }
    }

    override fun toString(): String = "JdbcLeaseStore(${dialect.displayName}, ${names.leases})"

    /** Factories; each blocks while the tables are created or validated per [JdbcStoreOptions.schemaMode]. */
    public companion object {
        /** A lease store on PostgreSQL. */
        @JvmStatic
        @JvmOverloads
        public fun postgres(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcLeaseStore =
            create(dataSource, PostgresDialect, options)

        /** A lease store on SQLite. */
        @JvmStatic
        @JvmOverloads
        public fun sqlite(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcLeaseStore =
            create(dataSource, SqliteDialect, options)

        private fun create(dataSource: DataSource, dialect: Dialect, options: JdbcStoreOptions): JdbcLeaseStore {
            dev.estoria.jdbc.exposed.EstoriaTables.of(dialect, options) // refuses a schema on SQLite
            val names = TableNames(options.schema, options.tablePrefix)
            val runner = JdbcRunner(dataSource, options.dispatcher, sqlite = dialect == SqliteDialect)
            for (component in listOf(Component.CHECKPOINTS, Component.LEASES)) {
                SchemaProvisioner.apply(JdbcRunner(dataSource, options.dispatcher), dialect, names, component, options.schemaMode)
            }
            return JdbcLeaseStore(runner, dialect, names, LeaseQueries(dialect, names, options.clock))
        }
    }
}
