package dev.estoria.reliability

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.jdbc.JdbcEventStore
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.sql.Connection
import java.sql.DriverManager
import java.util.concurrent.atomic.AtomicInteger
import javax.sql.DataSource

/** A backend under test: a store in its own schema (PostgreSQL) or file (SQLite), and a way to hash its tables. */
class Backend(val name: String, val dataSource: DataSource, val options: JdbcStoreOptions, val store: JdbcEventStore, private val hasher: () -> String) {
    /** A digest of every row of every table of this store (byte for byte): equal digests, unchanged tables. */
    fun tablesDigest(): String = hasher()

    /** A raw connection for editing rows behind the store's back (the caller closes it). */
    fun connection(): Connection = dataSource.connection
}

/** The databases of the suites: the shared PostgreSQL server (a fresh schema per backend) and SQLite files. */
object Databases {
    private val counter = AtomicInteger()

    private val pg: HikariDataSource by lazy {
        val info = PostgresTestServer.require()
        val config = HikariConfig().apply {
            jdbcUrl = info.jdbcUrl
            username = info.user
            password = info.password
            maximumPoolSize = 24
            minimumIdle = 1
            poolName = "estoria-reliability-pg"
        }
        HikariDataSource(config).also { ds -> Runtime.getRuntime().addShutdownHook(Thread { ds.close() }) }
    }

    /** The shared PostgreSQL pool (fails or skips the test per ESTORIA_REQUIRE when no server runs). */
    fun postgresSource(): DataSource {
        PostgresTestServer.require()
        return pg
    }

    /** A direct (unpooled) connection to the shared server, e.g. for a session that holds locks. */
    fun postgresConnection(): Connection {
        val info = PostgresTestServer.require()
        return DriverManager.getConnection(info.jdbcUrl, info.user, info.password)
    }

    val sqliteDir: Path by lazy {
        Files.createTempDirectory("estoria-reliability-").also { dir ->
            Runtime.getRuntime().addShutdownHook(Thread { dir.toFile().deleteRecursively() })
        }
    }

    /** A PostgreSQL store in a fresh schema `rel_<label>_<n>`. */
    fun postgres(label: String, configure: JdbcStoreOptions.Builder.() -> Unit = {}): Backend {
        val schema = "rel_${label}_${counter.incrementAndGet()}"
        val options = JdbcStoreOptions.builder().schema(schema).apply(configure).build()
        val source = postgresSource()
        return Backend("postgresql", source, options, PostgresEventStore.create(source, options)) { postgresDigest(source, schema) }
    }

    /** A fresh SQLite file's path. */
    fun sqlitePath(label: String): Path = sqliteDir.resolve("${label}_${counter.incrementAndGet()}.db")

    /** An SQLite store in a fresh file. */
    fun sqlite(label: String, configure: JdbcStoreOptions.Builder.() -> Unit = {}): Backend {
        val path = sqlitePath(label)
        val options = JdbcStoreOptions.builder().apply(configure).build()
        val source = SqliteEventStore.dataSource(path)
        return Backend("sqlite", source, options, SqliteEventStore.create(source, options)) { sqliteDigest(source) }
    }

    /** Both JDBC backends, for tests that run the same on each. */
    fun both(label: String): List<() -> Backend> = listOf({ postgres(label) }, { sqlite(label) })

    private fun postgresDigest(source: DataSource, schema: String): String = source.connection.use { c ->
        val tables = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name").use { ps ->
            ps.setString(1, schema)
            ps.executeQuery().use { rs -> buildList { while (rs.next()) add(rs.getString(1)) } }
        }
        val digest = MessageDigest.getInstance("SHA-256")
        for (table in tables) {
            digest.update(table.toByteArray())
            c.createStatement().use { st ->
                st.executeQuery("SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM $schema.$table t").use { rs ->
                    rs.next()
                    digest.update(rs.getString(1).toByteArray())
                }
            }
        }
        hex(digest.digest())
    }

    private fun sqliteDigest(source: DataSource): String = source.connection.use { c ->
        val tables = c.createStatement().use { st ->
            st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").use { rs -> buildList { while (rs.next()) add(rs.getString(1)) } }
        }
        val digest = MessageDigest.getInstance("SHA-256")
        for (table in tables) {
            digest.update(table.toByteArray())
            c.createStatement().use { st ->
                st.executeQuery("SELECT * FROM \"$table\" ORDER BY rowid").use { rs ->
                    val columns = rs.metaData.columnCount
                    while (rs.next()) {
                        for (i in 1..columns) {
                            digest.update((rs.getBytes(i) ?: byteArrayOf(-1)))
                            digest.update(0)
                        }
                    }
                }
            }
        }
        hex(digest.digest())
    }

    private fun hex(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }
}
