package dev.estoria.jdbc

import dev.estoria.error.InvalidInput
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.guard
import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.CheckpointStore
import java.sql.Connection
import javax.sql.DataSource

/**
 * Projection checkpoints in the `<prefix>checkpoints` table (one row per name, upserted).
 *
 * For effectively-once projections into the same database, write the read model and call
 * [saveOn] with the same JDBC connection inside your own transaction: both commit or neither does.
 *
 * TCK: `CheckpointStoreSuite`. Create one with [postgres] or [sqlite].
 */
public class JdbcCheckpointStore private constructor(
    private val runner: JdbcRunner,
    private val dialect: Dialect,
    private val names: TableNames,
) : CheckpointStore {

    override suspend fun load(name: String): Long? {
        CheckpointNames.validate(name)
        return guard("load checkpoint", null) {
            runner.withSession { s ->
                s.prepare("SELECT position FROM ${names.checkpoints} WHERE name = ?").use { ps ->
                    ps.setString(1, name)
                    ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else null }
                }
            }
        }
    }

    override suspend fun save(name: String, position: Long) {
        CheckpointNames.validate(name, position)
        guard("save checkpoint", null) { runner.withSession { s -> saveOn(s.connection, name, position) } }
    }

    /**
     * Saves [position] for [name] on the caller's [connection] (blocking, no commit): use it inside the
     * transaction that writes the projection's read model.
     */
    public fun saveOn(connection: Connection, name: String, position: Long) {
        CheckpointNames.validate(name, position)
        connection.prepareStatement(
            "INSERT INTO ${names.checkpoints} (name, position, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP) " +
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
        ).use { ps ->
            ps.setString(1, name)
            ps.setLong(2, position)
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
            if (dialect == SqliteDialect && options.schema != null) throw InvalidInput("SQLite has no schemas: leave JdbcStoreOptions.schema unset")
            val names = TableNames(options.schema, options.tablePrefix)
            val runner = JdbcRunner(dataSource, options.dispatcher)
            SchemaProvisioner.apply(runner, dialect, names, Component.CHECKPOINTS, options.schemaMode)
            return JdbcCheckpointStore(runner, dialect, names)
        }
    }
}
