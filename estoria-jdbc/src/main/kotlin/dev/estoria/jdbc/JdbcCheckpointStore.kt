package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.jdbc.exposed.CheckpointsTable
import dev.estoria.jdbc.exposed.EstoriaTables
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.Micros
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.exposed.ExposedDatabases
import dev.estoria.jdbc.internal.exposed.ExposedRunner
import dev.estoria.jdbc.internal.guard
import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.CheckpointStore
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.core.vendors.SQLiteDialect
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.upsert
import java.sql.Connection
import java.sql.SQLException
import java.time.Clock
import javax.sql.DataSource

/**
 * Projection checkpoints in the `<prefix>checkpoints` table (one row per name, upserted), written with
 * Exposed through [CheckpointsTable] and read with one plain `SELECT` of its columns.
 *
 * For effectively-once projections into the same database, write the read model and save the
 * checkpoint in ONE transaction: inside your Exposed `transaction(db) { … }` call
 * [saveInCurrentTransaction]; with plain JDBC call [saveOn] with your connection. Both commit or
 * neither does.
 *
 * TCK: `CheckpointStoreSuite`. Create one with [postgres] or [sqlite].
 */
public class JdbcCheckpointStore private constructor(
    private val runner: ExposedRunner,
    private val reads: JdbcRunner,
    private val dialect: Dialect,
    private val names: TableNames,
    private val table: CheckpointsTable,
    private val clock: Clock,
) : CheckpointStore {

    private val loadSql = "SELECT ${table.position.name} FROM ${table.tableName} WHERE ${table.name.name} = ?"

    /**
     * One auto-committed `SELECT` on plain JDBC, like the snapshot store's reads: no transaction, so no `COMMIT`
     * round trip (`CheckpointLoadStatementsTest`).
     */
    override suspend fun load(name: String): Long? {
        CheckpointNames.validate(name)
        return guard("load checkpoint", null) {
            reads.withSession { s ->
                s.prepare(loadSql).use { ps ->
                    ps.setString(1, name)
                    ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else null }
                }
            }
        }
    }

    override suspend fun save(name: String, position: Long) {
        CheckpointNames.validate(name, position)
        guard("save checkpoint", null) { runner.transaction { upsert(name, position) } }
    }

    override suspend fun delete(name: String) {
        CheckpointNames.validate(name)
        guard("delete checkpoint", null) { runner.transaction { table.deleteWhere { table.name eq name } } }
    }

    /**
     * Saves [position] for [name] in the Exposed transaction running on this thread (blocking, no
     * commit: the transaction commits it with the rest of its work, or rolls it back).
     *
     * @throws InvalidInputException when no Exposed transaction is running on this thread, or it runs on another
     *   kind of database than this store's.
     * @throws StoreException when the database refuses the write (the driver exception is the cause).
     */
    public fun saveInCurrentTransaction(name: String, position: Long) {
        CheckpointNames.validate(name, position)
        val current = TransactionManager.currentOrNull()
            ?: throw InvalidInputException("saveInCurrentTransaction needs a running Exposed transaction (call it inside transaction(db) { … })")
        val expected = if (dialect == PostgresDialect) PostgreSQLDialect::class else SQLiteDialect::class
        if (!expected.isInstance(current.db.dialect)) {
            throw InvalidInputException(
                "saveInCurrentTransaction: the running transaction is on ${current.db.vendor}, this checkpoint store on ${dialect.displayName}",
            )
        }
        translated { upsert(name, position) }
    }

    private inline fun translated(block: () -> Unit) {
        try {
            block()
        } catch (e: SQLException) {
            throw StoreException("save checkpoint", null, e)
        }
    }

    private fun upsert(name: String, position: Long) {
        table.upsert(table.name) {
            it[table.name] = name
            it[table.position] = position
            it[table.updatedAt] = clock.instant()
        }
    }

    /**
     * Saves [position] for [name] on the caller's plain JDBC [connection] (blocking, no commit): use
     * it inside the transaction that writes the projection's read model.
     *
     * @throws StoreException when the database refuses the write (the driver exception is the cause).
     */
    public fun saveOn(connection: Connection, name: String, position: Long) {
        CheckpointNames.validate(name, position)
        translated { saveOnUnchecked(connection, name, position) }
    }

    private fun saveOnUnchecked(connection: Connection, name: String, position: Long) {
        connection.prepareStatement(
            "INSERT INTO ${names.checkpoints} (name, position, updated_at) VALUES (?, ?, ?) " +
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
        ).use { ps ->
            ps.setString(1, name)
            ps.setLong(2, position)
            dialect.bindTimestamp(ps, 3, Micros.truncate(clock.instant()))
            ps.executeUpdate()
        }
    }

    override fun toString(): String = "JdbcCheckpointStore(${dialect.displayName}, ${names.checkpoints})"

    /** Factories; each blocks while the table is created or validated per [JdbcStoreOptions.schemaMode]. */
    public companion object {
        /** A checkpoint store on PostgreSQL. */
        @JvmStatic
        @JvmOverloads
        public fun postgres(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcCheckpointStore =
            create(dataSource, PostgresDialect, options)

        /** A checkpoint store on SQLite. */
        @JvmStatic
        @JvmOverloads
        public fun sqlite(dataSource: DataSource, options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT): JdbcCheckpointStore =
            create(dataSource, SqliteDialect, options)

        internal fun create(dataSource: DataSource, dialect: Dialect, options: JdbcStoreOptions): JdbcCheckpointStore {
            val tables = EstoriaTables.of(dialect, options)
            val names = TableNames(options.schema, options.tablePrefix)
            SchemaProvisioner.apply(JdbcRunner(dataSource, options.dispatcher), dialect, names, Component.CHECKPOINTS, options.schemaMode)
            val runner = ExposedRunner(ExposedDatabases.of(dataSource), options.dispatcher, sqlite = dialect == SqliteDialect)
            val reads = JdbcRunner(dataSource, options.dispatcher, sqlite = dialect == SqliteDialect)
            return JdbcCheckpointStore(runner, reads, dialect, names, tables.checkpoints, options.clock)
        }
    }
}
