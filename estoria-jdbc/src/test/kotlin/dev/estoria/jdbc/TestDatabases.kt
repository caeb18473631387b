package dev.estoria.jdbc

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import java.nio.file.Files
import java.nio.file.Path
import javax.sql.DataSource

/** Shared test databases: one PostgreSQL pool and one SQLite file per JVM. */
object TestDatabases {
    private val pg: HikariDataSource by lazy {
        val info = PostgresTestServer.require()
        val config = HikariConfig().apply {
            jdbcUrl = info.jdbcUrl
            username = info.user
            password = info.password
            maximumPoolSize = 8
            minimumIdle = 1
            poolName = "estoria-test-pg"
        }
        HikariDataSource(config).also { ds -> Runtime.getRuntime().addShutdownHook(Thread { ds.close() }) }
    }

    /** A new pool of at most [size] connections to the test PostgreSQL named [name]; the caller closes it. */
    fun newPostgresPool(name: String, size: Int): HikariDataSource {
        val info = PostgresTestServer.require()
        return HikariDataSource(
            HikariConfig().apply {
                jdbcUrl = info.jdbcUrl
                username = info.user
                password = info.password
                maximumPoolSize = size
                poolName = name
            },
        )
    }

    /** The pooled PostgreSQL data source (the test is skipped or fails when no server is available). */
    fun postgres(): DataSource {
        PostgresTestServer.require()
        return pg
    }

    val sqliteDir: Path by lazy {
        Files.createTempDirectory("estoria-sqlite-").also { dir ->
            Runtime.getRuntime().addShutdownHook(Thread { dir.toFile().deleteRecursively() })
        }
    }

    private val sqliteSource: DataSource by lazy { SqliteEventStore.dataSource(sqliteDir.resolve("tck.db")) }

    /** The shared SQLite file data source. */
    fun sqlite(): DataSource = sqliteSource

    /** Custom names used by the "custom table names" fixtures. */
    val customPg: JdbcStoreOptions = JdbcStoreOptions.builder().schema("estoria_custom").tablePrefix("es_").build()
    val customSqlite: JdbcStoreOptions = JdbcStoreOptions.builder().tablePrefix("custom_es_").build()

    val pgDefault: PostgresEventStore by lazy { PostgresEventStore.create(postgres()) }
    val pgCustom: PostgresEventStore by lazy { PostgresEventStore.create(postgres(), customPg) }
    val sqliteDefault: SqliteEventStore by lazy { SqliteEventStore.create(sqlite()) }
    val sqliteCustom: SqliteEventStore by lazy { SqliteEventStore.create(sqlite(), customSqlite) }
}
