package dev.estoria.jdbc

import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Instant
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Cancellation on SQLite while a call waits for the database's write lock (held by another connection;
 * the busy timeout is 10 s): `sqlite3_interrupt` alone does not end a busy wait.
 */
class SqliteCancellationTest {
    private fun database(): DataSource = SqliteEventStore.dataSource(TestDatabases.sqliteDir.resolve("cancel-${UUID.randomUUID()}.db"))

    /** Starts [call] while another connection holds the write lock, cancels it, and returns what the caller saw. */
    private suspend fun CoroutineScope.cancelWhileLocked(dataSource: DataSource, call: suspend () -> Unit): Throwable? =
        dataSource.connection.use { locker ->
            locker.autoCommit = false
            locker.createStatement().use { it.execute("CREATE TABLE lock_holder (x INTEGER)") } // takes the write lock
            val running = async(Dispatchers.Default) { call() }
            delay(300)
            val started = System.nanoTime()
            running.cancel()
            running.join()
            val tookMs = (System.nanoTime() - started) / 1_000_000
            locker.rollback()
            assertTrue(tookMs < 2_000, "cancellation took $tookMs ms (the busy timeout is 10 s)")
            running.getCompletionExceptionOrNull()
        }

    @Test
    fun `cancelling an append that waits for the write lock ends the wait and writes nothing`() = runBlocking {
        val dataSource = database()
        val store = SqliteEventStore.create(dataSource)
        val id = TypeId.new("fault")
        store.appendStream(id, Tck.events(1))
        assertIs<CancellationException>(cancelWhileLocked(dataSource) { store.appendStream(id, Tck.events(1, first = 2)) })
        assertEquals(1, store.readStream(id).toList().size)
    }

    @Test
    fun `cancelling a snapshot write that waits for the write lock ends the wait and writes nothing`() = runBlocking {
        val dataSource = database()
        val snapshots = JdbcSnapshotStore.sqlite(dataSource)
        val id = TypeId.new("fault")
        assertIs<CancellationException>(
            cancelWhileLocked(dataSource) { snapshots.write(Snapshot(id, 1, byteArrayOf(1), "", Instant.now())) },
        )
        assertNull(snapshots.read(id))
    }

    @Test
    fun `a call that is not cancelled still waits for the write lock and then succeeds`() = runBlocking {
        val dataSource = database()
        val store = SqliteEventStore.create(dataSource)
        val id = TypeId.new("fault")
        dataSource.connection.use { locker ->
            locker.autoCommit = false
            locker.createStatement().use { it.execute("CREATE TABLE lock_holder (x INTEGER)") }
            val append = async(Dispatchers.Default) { store.appendStream(id, Tck.events(2)) }
            delay(500)
            assertTrue(append.isActive, "the append waits while the lock is held")
            locker.rollback()
            assertEquals(2, append.await().nextExpectedVersion)
        }
    }
}
