package dev.estoria.jdbc

import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import java.sql.Connection
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** Dropped connections and cancellation during an append on PostgreSQL. */
class PostgresFaultTest {
    private val store = TestDatabases.pgDefault

    private fun lockStream(locker: Connection, id: TypeId): Int = RowLocks.lock(locker, id)

    private suspend fun blockedBy(admin: Connection, lockerPid: Int): Int = RowLocks.blockedBy(admin, lockerPid)

    @Test
    fun `a connection dropped during an append stores all or nothing and reports the outcome as unknown`() = runBlocking {
        val id = TypeId.new("fault")
        store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
        val batch = Tck.events(3, first = 2)
        val ds = TestDatabases.postgres()
        ds.connection.use { locker ->
            ds.connection.use { admin ->
                val lockerPid = lockStream(locker, id)
                val append = async(Dispatchers.IO) { runCatching { store.appendStream(id, batch, ExpectedVersion.Exact(1)) } }
                val victim = blockedBy(admin, lockerPid)
                admin.prepareStatement("SELECT pg_terminate_backend(?)").use { it.setInt(1, victim); it.executeQuery().close() }
                val failure = withTimeout(10_000) { append.await() }.exceptionOrNull()
                assertIs<AppendOutcomeUnknownException>(failure, "got $failure")
                assertTrue(failure.cause != null, "the driver exception is kept as the cause")
                locker.rollback()
            }
        }
        // none of the batch was stored (all or nothing), and retrying the same batch is safe
        assertEquals(listOf(1L), store.readStream(id).toList().map { it.streamVersion })
        val retried = store.appendStream(id, batch, ExpectedVersion.Exact(1))
        assertEquals(4, retried.nextExpectedVersion)
        assertEquals(retried, store.appendStream(id, batch, ExpectedVersion.Exact(1)))
    }

    @Test
    fun `cancelling an append blocked in the database cancels its statement and writes nothing`() = runBlocking {
        val id = TypeId.new("fault")
        store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
        val ds = TestDatabases.postgres()
        ds.connection.use { locker ->
            ds.connection.use { admin ->
                val lockerPid = lockStream(locker, id)
                val append = async(Dispatchers.IO) { store.appendStream(id, Tck.events(2, first = 2), ExpectedVersion.Exact(1)) }
                blockedBy(admin, lockerPid)
                val started = System.nanoTime()
                append.cancel()
                append.join()
                val tookMs = (System.nanoTime() - started) / 1_000_000
                assertIs<CancellationException>(append.getCompletionExceptionOrNull(), "the caller sees its cancellation")
                assertTrue(tookMs < 5_000, "cancellation took $tookMs ms")
                // the statement was cancelled on the server: no session is left waiting behind the lock
                admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))").use { ps ->
                    ps.setInt(1, lockerPid)
                    ps.executeQuery().use { rs -> rs.next(); assertEquals(0, rs.getInt(1)) }
                }
                locker.rollback()
            }
        }
        assertEquals(listOf(1L), store.readStream(id).toList().map { it.streamVersion })
    }

    /** Takes [table] in ACCESS EXCLUSIVE mode on [locker] (transaction left open), so reads and writes of it block. */
    private fun lockTable(locker: Connection, table: String): Int {
        locker.autoCommit = false
        locker.createStatement().use { it.execute("LOCK TABLE $table IN ACCESS EXCLUSIVE MODE") }
        return locker.createStatement().use { st -> st.executeQuery("SELECT pg_backend_pid()").use { it.next(); it.getInt(1) } }
    }

    /** Runs [operation] until it blocks behind [table]'s lock, cancels it, and returns what the caller saw. */
    private suspend fun kotlinx.coroutines.CoroutineScope.cancelWhileBlocked(table: String, operation: suspend () -> Unit): Throwable? {
        val ds = TestDatabases.postgres()
        ds.connection.use { locker ->
            ds.connection.use { admin ->
                val lockerPid = lockTable(locker, table)
                // called from Dispatchers.Default: the path with a thread hop to the JDBC dispatcher
                val call = async(Dispatchers.Default) { operation() }
                blockedBy(admin, lockerPid)
                val started = System.nanoTime()
                call.cancel()
                call.join()
                val tookMs = (System.nanoTime() - started) / 1_000_000
                assertTrue(tookMs < 5_000, "cancellation took $tookMs ms")
                locker.rollback()
                return call.getCompletionExceptionOrNull()
            }
        }
    }

    @Test
    fun `cancelling a read blocked in the database surfaces as cancellation, not as a store failure`() = runBlocking {
        val id = TypeId.new("fault")
        store.appendStream(id, Tck.events(2))
        val seen = cancelWhileBlocked("estoria_events") { store.readStream(id).toList() }
        assertIs<CancellationException>(seen)
        assertEquals(2, store.readStream(id).toList().size)
    }

    @Test
    fun `cancelling a snapshot write blocked in the database rolls it back and surfaces as cancellation`() = runBlocking {
        val snapshots = JdbcSnapshotStore.postgres(TestDatabases.postgres(), keepLast = 2)
        val id = TypeId.new("fault")
        val seen = cancelWhileBlocked("estoria_snapshots") {
            snapshots.write(dev.estoria.snapshot.Snapshot(id, 1, byteArrayOf(1), "", java.time.Instant.now()))
        }
        assertIs<CancellationException>(seen)
        assertEquals(null, snapshots.read(id))
    }
}
