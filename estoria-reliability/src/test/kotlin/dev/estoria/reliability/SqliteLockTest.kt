package dev.estoria.reliability

import dev.estoria.error.EstoriaException
import dev.estoria.error.StoreException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.SqliteEventStore
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.sqlite.SQLiteConfig
import org.sqlite.SQLiteDataSource
import java.nio.file.Path
import java.nio.file.Paths
import java.sql.DriverManager
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * The SQLite file write-locked past the busy timeout, by another connection of this process and by
 * another process that is then killed mid-transaction: the append fails typed and writes nothing, the
 * killed process's transaction is rolled back, and the same batch then appends once.
 */
class SqliteLockTest {
    private val busyTimeoutMs = 300

    private fun backend(path: Path): Backend {
        val config = SQLiteConfig().apply {
            setJournalMode(SQLiteConfig.JournalMode.WAL)
            setBusyTimeout(busyTimeoutMs)
        }
        val source = SQLiteDataSource(config).apply { url = "jdbc:sqlite:$path" }
        val options = JdbcStoreOptions.DEFAULT
        val store = SqliteEventStore.create(source, options)
        return Backend("sqlite", source, options, store) { "" }
    }

    private fun batch(n: Int): List<WritableEvent> = List(2) { WritableEvent.of("rel_fault", """{"n":$n,"i":$it}""".encodeToByteArray()) }

    private fun run(label: String, rounds: Int, injects: String, lock: (Path) -> AutoCloseable): Unit = runBlocking {
        val path = Databases.sqlitePath(label)
        val backend = backend(path)
        val tally = Tally(label, "sqlite", injects)
        val ledger = Ledger()
        val stream = TypeId.new("rel_stream")
        var version = 0L
        for (r in 1..rounds) {
            val attempt = batch(r)
            val holder = lock(path)
            val failure = runCatching { backend.store.appendStream(stream, attempt, ExpectedVersion.Exact(version)) }.exceptionOrNull()
            tally.faults.incrementAndGet()
            tally.note("locked append: ${failure?.javaClass?.simpleName ?: "succeeded"}")
            holder.close()
            tally.cases.incrementAndGet()
            assertIs<StoreException>(failure, "round $r: the append waits out the busy timeout and fails typed")
            assertTrue(failure is EstoriaException && failure.cause != null, "the driver's exception is the cause")
            val stored = backend.store.appendStream(stream, attempt, ExpectedVersion.Exact(version))
            assertEquals(stored, backend.store.appendStream(stream, attempt, ExpectedVersion.Exact(version)), "the retry is idempotent")
            ledger.acknowledged(stream, stored)
            version = stored.nextExpectedVersion
        }
        val scratch = DriverManager.getConnection("jdbc:sqlite:$path").use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'holder_scratch'").use { it.next(); it.getInt(1) }
                    .takeIf { it > 0 }?.let { st.executeQuery("SELECT count(*) FROM holder_scratch").use { rs -> rs.next(); rs.getInt(1) } } ?: 0
            }
        }
        tally.note("rows left by killed transactions", scratch.toLong())
        val consistent = ledger.verify(backend.store, tally)
        Figures.record(tally)
        assertEquals(0, scratch, "the killed process's transaction was rolled back")
        assertTrue(consistent, "${tally.figure()}")
    }

    @Test
    fun `a write lock held by another connection past the busy timeout fails the append typed and writes nothing`() =
        run("fault-sqlite-locked-connection", Scale.of(ci = 10, soak = 50), "another connection holds BEGIN IMMEDIATE past the ${busyTimeoutMs} ms busy timeout") { path ->
            val c = DriverManager.getConnection("jdbc:sqlite:$path")
            c.createStatement().use { it.execute("BEGIN IMMEDIATE") }
            AutoCloseable {
                c.createStatement().use { it.execute("ROLLBACK") }
                c.close()
            }
        }

    @Test
    fun `another process killed mid-transaction while holding the write lock leaves nothing behind`() =
        run("fault-sqlite-killed-process", Scale.of(ci = 3, soak = 15), "another process holds the write lock mid-transaction past the busy timeout, then is killed (SIGKILL)") { path ->
            val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString()
            val process = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SqliteLockHolder::class.java.name, path.toString())
                .redirectErrorStream(true).start()
            val line = process.inputStream.bufferedReader().readLine()
            check(line == "locked") { "the lock holder said '$line'" }
            AutoCloseable {
                process.destroyForcibly()
                process.waitFor()
            }
        }
}
