package dev.estoria.jdbc

import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.lang.reflect.Proxy
import java.sql.Connection
import java.util.UUID
import java.util.concurrent.Executors
import java.util.concurrent.ConcurrentLinkedQueue
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Where the JDBC stores' blocking calls run: in place for a caller already on the store's dispatcher
 * (`Dispatchers.IO` by default), and on exactly the dispatcher given when one is.
 */
class JdbcDispatcherTest {
    /** [inner], recording the name of the thread that borrows each connection. */
    private class ThreadRecordingDataSource(private val inner: DataSource) {
        val threads = ConcurrentLinkedQueue<String>()
        val dataSource: DataSource = Proxy.newProxyInstance(javaClass.classLoader, arrayOf(DataSource::class.java)) { _, method, args ->
            if (method.name == "getConnection") threads += Thread.currentThread().name
            try {
                method.invoke(inner, *(args ?: emptyArray()))
            } catch (e: java.lang.reflect.InvocationTargetException) {
                throw e.targetException
            }
        } as DataSource

        fun drain(): List<String> = buildList { while (true) add(threads.poll() ?: break) }
    }

    private fun options(): JdbcStoreOptions.Builder = JdbcStoreOptions.builder().tablePrefix("th${UUID.randomUUID().toString().take(8)}_")

    @Test
    fun `by default a caller on IO runs its JDBC calls in place, on its own thread, store and snapshot store alike`() = runBlocking {
        val recording = ThreadRecordingDataSource(TestDatabases.sqlite())
        val options = options().build()
        val store = SqliteEventStore.create(recording.dataSource, options)
        val snapshots = JdbcSnapshotStore.sqlite(recording.dataSource, options)
        recording.drain()
        val caller = withContext(Dispatchers.IO) {
            val id = TypeId.new("th")
            val names = ArrayList<String>()
            names += Thread.currentThread().name
            store.appendStream(id, Tck.events(2))
            names += Thread.currentThread().name
            store.readStream(id).toList()
            names += Thread.currentThread().name
            snapshots.read(id)
            names
        }
        // the caller never left its thread, and every connection was borrowed there
        assertEquals(1, caller.toSet().size, "$caller")
        // every connection the calls borrowed (how many depends on what the stores cache) was borrowed there
        val threads = recording.drain()
        assertTrue(threads.isNotEmpty())
        assertEquals(setOf(caller[0]), threads.toSet())
    }

    @Test
    fun `a dispatcher given in the options is the one the calls run on`() = runBlocking {
        val recording = ThreadRecordingDataSource(TestDatabases.sqlite())
        val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "given-jdbc-thread") }
        try {
            val store = SqliteEventStore.create(recording.dataSource, options().executor(executor).build())
            recording.drain()
            withContext(Dispatchers.Default) { store.appendStream(TypeId.new("th"), Tck.events(1)) }
            withContext(Dispatchers.IO) { store.appendStream(TypeId.new("th"), Tck.events(1)) }
            val threads = recording.drain()
            assertTrue(threads.size >= 2, "$threads")
            assertTrue(threads.all { it.startsWith("given-jdbc-thread") }, "$threads")
        } finally {
            executor.shutdown()
        }
    }
}
