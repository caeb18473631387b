package dev.estoria.jdbc

import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asContextElement
import kotlinx.coroutines.async
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.time.Instant
import java.util.UUID
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.Executors
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertSame
import kotlin.test.assertTrue

/**
 * A caller on `Dispatchers.Default` of a store on `Dispatchers.IO` (both defaults) is handed over: its JDBC
 * work runs on an IO thread and the caller resumes on that same thread, without a dispatch back to Default
 * (JdbcRunner, ExposedRunner). What must not change with it: thread-context elements, callers confined to
 * their own thread, and cancellation of a blocked statement.
 */
class DefaultCallerHandOverTest {
    /** [inner], recording the thread that borrows each connection and what [local] held there. */
    private class Recording(private val inner: DataSource, private val local: ThreadLocal<String?>? = null) {
        val threads = ConcurrentLinkedQueue<Thread>()
        val locals = ConcurrentLinkedQueue<String>()

        /** Per borrowed connection: whether it was borrowed inside a test coroutine's own frames (no dispatch in between). */
        val inCallerFrames = ConcurrentLinkedQueue<Boolean>()
        val dataSource: DataSource = Proxy.newProxyInstance(javaClass.classLoader, arrayOf(DataSource::class.java)) { proxy, method, args ->
            // identity, not the inner source's: the stores key their Exposed database by data source
            if (method.name == "equals") return@newProxyInstance proxy === args?.get(0)
            if (method.name == "hashCode") return@newProxyInstance System.identityHashCode(proxy)
            if (method.name == "getConnection") {
                threads += Thread.currentThread()
                inCallerFrames += Thread.currentThread().stackTrace.any {
                    it.className.startsWith(DefaultCallerHandOverTest::class.java.name) && it.methodName == "invokeSuspend"
                }
                if (local != null) locals += (local.get() ?: "<none>")
            }
            try {
                method.invoke(inner, *(args ?: emptyArray()))
            } catch (e: InvocationTargetException) {
                throw e.targetException
            }
        } as DataSource

        fun drain(): List<Thread> = buildList { while (true) add(threads.poll() ?: break) }
    }

    private fun options(): JdbcStoreOptions = JdbcStoreOptions.builder().tablePrefix("ho${UUID.randomUUID().toString().take(8)}_").build()

    private fun stores(dialect: String, dataSource: DataSource): Pair<EventStore, SnapshotStore> {
        val options = options()
        return when (dialect) {
            "postgres" -> PostgresEventStore.create(dataSource, options) to JdbcSnapshotStore.postgres(dataSource, options)
            else -> SqliteEventStore.create(dataSource, options) to JdbcSnapshotStore.sqlite(dataSource, options)
        }
    }

    private fun source(dialect: String): DataSource = if (dialect == "postgres") TestDatabases.postgres() else TestDatabases.sqlite()

    private fun resumesWhereItsConnectionWasBorrowed(dialect: String) = runBlocking {
        val recording = Recording(source(dialect))
        val (store, snapshots) = stores(dialect, recording.dataSource)
        val id = TypeId.new("ho")
        recording.drain()
        withContext(Dispatchers.Default) {
            for (i in 1..20) {
                val calls = listOf<Pair<String, suspend () -> Unit>>(
                    "append" to { store.appendStream(id, Tck.events(1, first = i), ExpectedVersion.Exact(i - 1L)) },
                    "read" to { store.readStream(id).toList() },
                    "snapshot write" to { snapshots.write(Snapshot(id, i.toLong(), byteArrayOf(1), "", Instant.now())) },
                    "snapshot read" to { snapshots.read(id) },
                )
                for ((name, call) in calls) {
                    call()
                    val resumedOn = Thread.currentThread()
                    val borrowedOn = recording.drain()
                    assertTrue(borrowedOn.isNotEmpty(), "$name borrowed no connection")
                    assertSame(borrowedOn.last(), resumedOn, "$name #$i: borrowed on ${borrowedOn.last().name}, resumed on ${resumedOn.name}")
                }
            }
        }
    }

    @Test
    fun `a Default caller resumes on the thread that ran its statement, on PostgreSQL`() = resumesWhereItsConnectionWasBorrowed("postgres")

    @Test
    fun `a Default caller resumes on the thread that ran its statement, on SQLite`() = resumesWhereItsConnectionWasBorrowed("sqlite")

    @Test
    fun `the calls a handed-over caller makes before it suspends run in place, without a dispatch`() = runBlocking {
        val recording = Recording(TestDatabases.postgres())
        val (store, _) = stores("postgres", recording.dataSource)
        val id = TypeId.new("ho")
        recording.inCallerFrames.clear()
        fun borrowedInPlace(): List<Boolean> = buildList { while (true) add(recording.inCallerFrames.poll() ?: break) }
        withContext(Dispatchers.Default) {
            store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
            assertEquals(listOf(false), borrowedInPlace(), "the first call is dispatched to an IO thread")
            val thread = Thread.currentThread()
            for (i in 2..20) {
                store.appendStream(id, Tck.events(1, first = i), ExpectedVersion.Exact(i - 1L))
                store.readStream(id).toList()
                assertSame(thread, Thread.currentThread())
            }
            assertEquals(List(38) { true }, borrowedInPlace(), "the next ones run in place on that thread")
            delay(1) // suspends: back on Default
            store.readStream(id).toList()
            assertEquals(listOf(false), borrowedInPlace(), "after a suspension the next call is dispatched again")
        }
    }

    @Test
    fun `the caller's thread-context elements are in place for its statements and after them, and do not leak to the IO threads`() = runBlocking {
        val local = ThreadLocal<String?>()
        val recording = Recording(TestDatabases.sqlite(), local)
        val (store, snapshots) = stores("sqlite", recording.dataSource)
        recording.locals.clear()
        val id = TypeId.new("ho")
        val seenAfter = withContext(Dispatchers.Default + local.asContextElement("request-42")) {
            (1..20).map { i ->
                store.appendStream(id, Tck.events(1, first = i), ExpectedVersion.Exact(i - 1L))
                val afterAppend = local.get()
                snapshots.write(Snapshot(id, i.toLong(), byteArrayOf(1), "", Instant.now()))
                listOf(afterAppend, local.get())
            }.flatten()
        }
        assertEquals(setOf("request-42"), seenAfter.toSet())
        assertTrue(recording.locals.isNotEmpty())
        assertEquals(setOf("request-42"), recording.locals.toSet(), "the value while a connection was borrowed")
        // every IO thread is back to its own (empty) value
        val onIoThreads = (1..64).map { async(Dispatchers.IO) { Thread.sleep(5); local.get() } }.awaitAll()
        assertEquals(setOf<String?>(null), onIoThreads.toSet())
    }

    @Test
    fun `a caller on its own single thread stays on it`() = runBlocking {
        val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "caller-loop") }
        try {
            val store = stores("sqlite", TestDatabases.sqlite()).first
            val id = TypeId.new("ho")
            val threads = withContext(executor.asCoroutineDispatcher()) {
                (1..10).map { i ->
                    store.appendStream(id, Tck.events(1, first = i), ExpectedVersion.Exact(i - 1L))
                    store.readStream(id).toList()
                    Thread.currentThread().name
                }
            }
            assertTrue(threads.all { it.startsWith("caller-loop") }, "$threads")
        } finally {
            executor.shutdown()
        }
    }

    @Test
    fun `cancelling a Default caller blocked on a row lock cancels its statement and gives its connection back`() = runBlocking {
        val pool = TestDatabases.newPostgresPool("estoria-test-hand-over", 4)
        pool.use {
            val options = options()
            val store = PostgresEventStore.create(pool, options)
            val streams = "${options.tablePrefix}streams"
            val id = TypeId.new("ho")
            store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
            val ds = TestDatabases.postgres()
            ds.connection.use { locker ->
                ds.connection.use { admin ->
                    val lockerPid = RowLocks.lock(locker, id, streams)
                    val append = async(Dispatchers.Default) { store.appendStream(id, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                    RowLocks.blockedBy(admin, lockerPid)
                    append.cancel()
                    append.join()
                    assertIs<CancellationException>(append.getCompletionExceptionOrNull())
                    admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))").use { ps ->
                        ps.setInt(1, lockerPid)
                        ps.executeQuery().use { rs -> rs.next(); assertEquals(0, rs.getInt(1), "the statement was cancelled on the server") }
                    }
                    locker.rollback()
                }
            }
            assertEquals(0, pool.hikariPoolMXBean.activeConnections, "every connection went back to the pool")
            assertEquals(listOf(1L), store.readStream(id).toList().map { it.streamVersion })
        }
    }
}
