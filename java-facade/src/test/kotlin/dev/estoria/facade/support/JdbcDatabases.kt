package dev.estoria.facade.support

import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import org.postgresql.ds.PGSimpleDataSource
import java.nio.file.Files
import java.nio.file.Path
import javax.sql.DataSource

/** The real databases of the facade tests: one SQLite file and the resolved PostgreSQL server per JVM. */
object JdbcDatabases {
    private val sqliteDir: Path by lazy {
        Files.createTempDirectory("estoria-facade-sqlite-").also { dir ->
            Runtime.getRuntime().addShutdownHook(Thread { dir.toFile().deleteRecursively() })
        }
    }

    private val sqliteSource: DataSource by lazy { SqliteEventStore.dataSource(sqliteDir.resolve("facade.db")) }

    private val postgresSource: DataSource by lazy {
        val info = PostgresTestServer.require()
        PGSimpleDataSource().apply {
            setURL(info.jdbcUrl)
            user = info.user
            password = info.password
        }
    }

    /** The shared SQLite data source. */
    @JvmStatic
    fun sqlite(): DataSource = sqliteSource

    /** The PostgreSQL data source; skips (or fails, when required by ESTORIA_REQUIRE) without a server. */
    @JvmStatic
    fun postgres(): DataSource {
        PostgresTestServer.require()
        return postgresSource
    }

    val sqliteStore: SqliteEventStore by lazy { SqliteEventStore.create(sqlite()) }
    val postgresStore: PostgresEventStore by lazy { PostgresEventStore.create(postgres()) }

    /** The shared SQLite event store. */
    @JvmStatic
    fun sqliteEventStore(): SqliteEventStore = sqliteStore

    /** The shared PostgreSQL event store. */
    @JvmStatic
    fun postgresEventStore(): PostgresEventStore {
        PostgresTestServer.require()
        return postgresStore
    }
}
