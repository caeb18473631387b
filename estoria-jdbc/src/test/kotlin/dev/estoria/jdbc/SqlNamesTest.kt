package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Every name the options accept works unquoted in CREATE mode on a real database, and every name that
 * would fail at DDL (a reserved keyword, the `pg_` schema namespace, SQLite's `sqlite_` tables) is
 * refused when the options are built.
 */
class SqlNamesTest {
    /** Creates the event, snapshot and checkpoint stores of [options] and uses each once. */
    private fun works(dataSource: DataSource, options: JdbcStoreOptions, postgres: Boolean) = runBlocking {
        val events = if (postgres) PostgresEventStore.create(dataSource, options) else SqliteEventStore.create(dataSource, options)
        val id = TypeId.new("tck_stream")
        val appended = events.appendStream(id, Tck.events(2)).events
        assertEquals(appended, events.readStream(id).toList(), "$options")
        // the global queries run in this schema; on PostgreSQL any transaction on the server (autovacuum's
        // ANALYZE included) may hold the stable frontier back for a moment, so the log is a prefix of the append
        val log = events.readAll().toList()
        assertEquals(appended.take(log.size), log, "$options")
        assertTrue(events.headPosition() >= (log.lastOrNull()?.globalPosition ?: 0L), "the stable frontier never moves back")
        val snapshots = if (postgres) JdbcSnapshotStore.postgres(dataSource, options) else JdbcSnapshotStore.sqlite(dataSource, options)
        val snapshot = Snapshot(id, 2, ByteArray(3), "application/json", Instant.now().truncatedTo(ChronoUnit.MILLIS))
        snapshots.write(snapshot)
        assertEquals(snapshot, snapshots.read(id))
        val checkpoints = if (postgres) JdbcCheckpointStore.postgres(dataSource, options) else JdbcCheckpointStore.sqlite(dataSource, options)
        checkpoints.save("p", 7)
        assertEquals(7, checkpoints.load("p"))
    }

    private fun execute(sql: String) {
        TestDatabases.postgres().connection.use { c -> c.createStatement().use { it.execute(sql) } }
    }

    @Test
    fun `every PostgreSQL keyword that cannot name a schema is refused at build time, every other keyword works in CREATE mode`() {
        val keywords = TestDatabases.postgres().connection.use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT word, catcode FROM pg_get_keywords() ORDER BY word").use { rs ->
                    buildList { while (rs.next()) add(rs.getString(1) to rs.getString(2)) }
                }
            }
        }
        assertTrue(keywords.size > 400, "pg_get_keywords() returned ${keywords.size} words")
        val refusedByServer = keywords.filter { it.second == "R" || it.second == "T" }.map { it.first }
        for (word in refusedByServer) {
            assertFailsWith<InvalidInputException>(word) { JdbcStoreOptions.builder().schema(word).build() }
        }
        // the usable keywords, and names around the refused namespace, each in a schema of its own
        val tricky = listOf("pg", "pgx", "pg1", "_pg_", "p_g_", "_", "__", "a".repeat(63), "sqlite_x")
        val accepted = keywords.filter { it.second == "U" || it.second == "C" }.map { it.first } + tricky
        val prefix = "k" + UUID.randomUUID().toString().take(6) + "_"
        for (word in accepted) {
            val options = JdbcStoreOptions.builder().schema(word).tablePrefix(prefix).build()
            works(TestDatabases.postgres(), options, postgres = true)
            execute("DROP TABLE $word.${prefix}events, $word.${prefix}streams, $word.${prefix}snapshots, $word.${prefix}checkpoints, $word.${prefix}schema_version")
        }
    }

    @Test
    fun `schema names in the pg_ namespace are refused at build time, for tenants too`() {
        for (name in listOf("pg_", "pg_x", "pg_catalog", "pg_toast", "user", "select", "table")) {
            assertFailsWith<InvalidInputException>(name) { JdbcStoreOptions.builder().schema(name).build() }
        }
        val bare = JdbcTenants.postgresSchemas(TestDatabases.postgres(), schemaPrefix = "")
        for (tenant in listOf("user", "select", "pg_acme")) {
            assertFailsWith<InvalidInputException>(tenant) { bare.forTenant(tenant) }
        }
        assertFailsWith<InvalidInputException> { JdbcTenants.postgresSchemas(TestDatabases.postgres(), schemaPrefix = "pg_") }
        val tenant = "user_" + UUID.randomUUID().toString().take(8)
        runBlocking { bare.forTenant(tenant).appendStream(TypeId.new("tck_stream"), Tck.events(1)) }
    }

    @Test
    fun `table prefixes that look like keywords work on both databases, SQLite's sqlite_ prefix is refused at build time`() {
        for (prefix in listOf("sqlite_", "sqlite_x_")) {
            assertFailsWith<InvalidInputException>(prefix) { JdbcStoreOptions.builder().tablePrefix(prefix).build() }
        }
        val run = UUID.randomUUID().toString().take(6)
        val schema = "estoria_prefixes_$run"
        val sqlite = SqliteEventStore.dataSource(TestDatabases.sqliteDir.resolve("prefixes-$run.db"))
        for (prefix in listOf("", "pg_", "select_", "user_", "table", "sqlite", "_", "x".repeat(30))) {
            works(TestDatabases.postgres(), JdbcStoreOptions.builder().schema(schema).tablePrefix(prefix).build(), postgres = true)
            works(sqlite, JdbcStoreOptions.builder().tablePrefix(prefix).build(), postgres = false)
        }
    }
}
