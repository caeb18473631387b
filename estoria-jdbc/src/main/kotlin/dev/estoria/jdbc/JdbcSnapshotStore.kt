package dev.estoria.jdbc

import dev.estoria.error.InvalidInput
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.Component
import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.JdbcRunner
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SchemaProvisioner
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.guard
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import javax.sql.DataSource

/**
 * Snapshots in the `<prefix>snapshots` table (one row per aggregate id and version; the id carries the
 * aggregate type, so types never mix). Keeps the newest [keepLast] snapshots per aggregate (`null`:
 * all), deleting older ones in the same transaction as the write. Timestamps are stored at microsecond
 * precision.
 *
 * TCK: `SnapshotStoreSuite`. Create one with [postgres] or [sqlite].
 *
 * @property keepLast how many snapshots are kept per aggregate (`null`: all).
 */
public class JdbcSnapshotStore private constructor(
    private val runner: JdbcRunner,
    private val dialect: Dialect,
    private val names: TableNames,
    public val keepLast: Int?,
) : SnapshotStore {

    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? = guard("read snapshot", aggregateId) {
        runner.withSession { s ->
            val sql = "SELECT aggregate_version, content_type, data, created_at FROM ${names.snapshots} WHERE aggregate_id = ?" +
                (if (maxVersion != null) " AND aggregate_version <= ?" else "") +
                " ORDER BY aggregate_version DESC LIMIT 1"
            s.prepare(sql).use { ps ->
                ps.setString(1, aggregateId.toString())
                if (maxVersion != null) ps.setLong(2, maxVersion)
                ps.executeQuery().use { rs ->
                    if (!rs.next()) {
                        null
                    } else {
                        Snapshot(aggregateId, rs.getLong(1), rs.getBytes(3), rs.getString(2), dialect.readTimestamp(rs, 4))
                    }
                }
            }
        }
    }

    override suspend fun write(snapshot: Snapshot) {
        val id = snapshot.aggregateId.toString()
        guard("write snapshot", snapshot.aggregateId) {
            runner.withSession { s ->
                s.transaction {
                    s.prepare(
                        "INSERT INTO ${names.snapshots} AS t (aggregate_id, aggregate_version, content_type, data, created_at) " +
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (aggregate_id, aggregate_version) DO UPDATE SET " +
                            "content_type = excluded.content_type, data = excluded.data, created_at = excluded.created_at",
                    ).use { ps ->
                        ps.setString(1, id)
                        ps.setLong(2, snapshot.version)
                        ps.setString(3, snapshot.contentType)
                        ps.setBytes(4, snapshot.data)
                        dialect.bindTimestamp(ps, 5, snapshot.timestamp)
                        ps.executeUpdate()
                    }
                    val keep = keepLast
                    if (keep != null) {
                        s.prepare(
                            "DELETE FROM ${names.snapshots} WHERE aggregate_id = ? AND aggregate_version < (" +
                                "SELECT aggregate_version FROM ${names.snapshots} WHERE aggregate_id = ? " +
                                "ORDER BY aggregate_version DESC LIMIT 1 OFFSET ${keep - 1})",
                        ).use { ps ->
                            ps.setString(1, id)
                            ps.setString(2, id)
                            ps.executeUpdate()
                        }
                    }
                }
            }
        }
    }

    override fun toString(): String = "JdbcSnapshotStore(${dialect.displayName}, ${names.snapshots}, keepLast=$keepLast)"

    /** Factories; each blocks while the table is created or validated per [JdbcStoreOptions.schemaMode]. */
    public companion object {
        /** A snapshot store on PostgreSQL keeping [keepLast] snapshots per aggregate (default `null`: all). */
        @JvmStatic
        @JvmOverloads
        public fun postgres(
            dataSource: DataSource,
            options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
            keepLast: Int? = null,
        ): JdbcSnapshotStore = create(dataSource, PostgresDialect, options, keepLast)

        /** A snapshot store on SQLite keeping [keepLast] snapshots per aggregate (default `null`: all). */
        @JvmStatic
        @JvmOverloads
        public fun sqlite(
            dataSource: DataSource,
            options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
            keepLast: Int? = null,
        ): JdbcSnapshotStore = create(dataSource, SqliteDialect, options, keepLast)

        internal fun create(dataSource: DataSource, dialect: Dialect, options: JdbcStoreOptions, keepLast: Int?): JdbcSnapshotStore {
            if (keepLast != null && keepLast < 1) throw InvalidInput("keepLast must be >= 1, was $keepLast")
            if (dialect == SqliteDialect && options.schema != null) throw InvalidInput("SQLite has no schemas: leave JdbcStoreOptions.schema unset")
            val names = TableNames(options.schema, options.tablePrefix)
            val runner = JdbcRunner(dataSource, options.dispatcher)
            SchemaProvisioner.apply(runner, dialect, names, Component.SNAPSHOTS, options.schemaMode)
            return JdbcSnapshotStore(runner, dialect, names, keepLast)
        }
    }
}
