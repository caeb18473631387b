package dev.estoria.jdbc.live

import dev.estoria.event.ExpectedVersion
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.projection.projection
import dev.estoria.projection.signalling
import dev.estoria.testkit.Tck
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * PostgreSQL live tailing: the listener (dedicated connection, `LISTEN`) wakes processors of other store
 * instances when the notifier (its own connection, after appends return) notifies. Processors here poll
 * once an hour, so a processor that sees an append was woken by a notification; the timeouts only stop a
 * hung test, they decide nothing.
 */
class PostgresLiveTailingTest {
    private val info = PostgresTestServer.require()
    private val options = JdbcStoreOptions.builder().tablePrefix("lt${UUID.randomUUID().toString().take(8)}_").build()
    private val connections = PostgresConnections.of(info.jdbcUrl, info.user, info.password)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val secondPool = TestDatabases.newPostgresPool("live-tailing-second", 3)
    private val live = LiveTailingOptions.builder().reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build()
    private val pollHourly = Duration.ofHours(1)

    @AfterEach
    fun close() = runBlocking {
        scope.coroutineContext[kotlinx.coroutines.Job]?.cancelAndJoin()
        secondPool.close()
    }

    private fun <T> guarded(block: suspend () -> T): T = runBlocking { withTimeout(60_000) { block() } }

    /** A started listener (listening) and notifier on the test's tables. */
    private suspend fun listening(): Pair<PostgresAppendListener, PostgresAppendNotifier> {
        val listener = PostgresAppendListener(connections, options, options = live).also { it.start(scope) }
        val notifier = PostgresAppendNotifier(connections, options, options = live).also { it.start(scope) }
        listener.sessions.first { it >= 1 }
        return listener to notifier
    }

    /** A processor on [store] (its own pool) that polls hourly and wakes on [listener]; counts what it applied. */
    private suspend fun processorOn(store: PostgresEventStore, listener: PostgresAppendListener): MutableStateFlow<Int> {
        val applied = MutableStateFlow(0)
        val p = projection("live-${UUID.randomUUID()}") { onAny { _, _ -> applied.update { it + 1 } } }
        val processor = ProjectionProcessor(
            p,
            store,
            InMemoryCheckpointStore(),
            ProjectionOptions.builder().idleBackoff(pollHourly, pollHourly).wakeUp(listener.signal).build(),
        )
        processor.start(scope)
        processor.awaitCaughtUp()
        return applied
    }

    @Test
    fun `a processor on a second store instance is woken by the appends of the first`() = guarded {
        val writerStore = PostgresEventStore.create(TestDatabases.postgres(), options)
        val readerStore = PostgresEventStore.create(secondPool, options)
        val (listener, notifier) = listening()
        val applied = processorOn(readerStore, listener)

        writerStore.signalling(notifier.signal).appendStream(Tck.newStreamId(), Tck.events(3), ExpectedVersion.NoStream)

        applied.first { it == 3 }
        // the wake-up came from a notification: the processor polls hourly, and the listener counts a
        // notification before it signals
        assertTrue(listener.notifications.value >= 1, "the wake-up came from a notification")
        // the notifier counts its NOTIFY only once the statement returned, which may be after the listener
        // delivered it and the processor applied the events: wait for the count, do not read it
        assertTrue(notifier.sent.first { it >= 1 } >= 1, "the notifier sent")
    }

    @Test
    fun `the listener reconnects after its backend is terminated and wake-ups resume`() = guarded {
        val writerStore = PostgresEventStore.create(TestDatabases.postgres(), options)
        val readerStore = PostgresEventStore.create(secondPool, options)
        val (listener, notifier) = listening()
        val applied = processorOn(readerStore, listener)
        val pid = listener.backendPid.first { it != null }

        TestDatabases.postgres().connection.use { c ->
            c.prepareStatement("SELECT pg_terminate_backend(?)").use { st ->
                st.setInt(1, requireNotNull(pid))
                st.executeQuery().use { rs -> assertTrue(rs.next() && rs.getBoolean(1), "terminated") }
            }
        }
        listener.sessions.first { it >= 2 }
        val newPid = listener.backendPid.first { it != null }
        assertTrue(newPid != pid, "a new backend")
        val before = listener.notifications.value

        writerStore.signalling(notifier.signal).appendStream(Tck.newStreamId(), Tck.events(2), ExpectedVersion.NoStream)

        applied.first { it == 2 }
        listener.notifications.first { it > before }
        assertTrue(listener.lastError.value != null, "the lost connection was reported")
    }

    @Test
    fun `the append path issues no NOTIFY, the notifier sends it on its own connection`() = guarded {
        val recording = RecordingDataSource(TestDatabases.postgres())
        val writerStore = PostgresEventStore.create(recording.dataSource, options)
        val (listener, notifier) = listening()
        val writer = writerStore.signalling(notifier.signal)
        recording.statements.clear()

        repeat(5) { writer.appendStream(Tck.newStreamId(), Tck.events(2), ExpectedVersion.NoStream) }
        writer.appendStream(Tck.newStreamId(), Tck.events(1_200), ExpectedVersion.NoStream) // the multi-statement path
        listener.notifications.first { it >= 1 }

        val appendSql = recording.statements.toList()
        assertTrue(appendSql.isNotEmpty(), "the recorder saw the appends")
        assertEquals(emptyList(), appendSql.filter { "notify" in it.lowercase() }, "no NOTIFY through the store's connections")
        // the recorder would have seen one
        recording.dataSource.connection.use { c -> c.createStatement().use { it.execute("NOTIFY ${notifier.channel}") } }
        assertTrue(recording.statements.any { "notify" in it.lowercase() })
    }

    @Test
    fun `N concurrent appends cause between 1 and N notifies`() = guarded {
        val writerStore = PostgresEventStore.create(TestDatabases.postgres(), options)
        val (listener, notifier) = listening()
        val writer = writerStore.signalling(notifier.signal)
        val writers = 16
        val appendsEach = 10
        val jobs = (1..writers).map {
            scope.launch(Dispatchers.IO) {
                repeat(appendsEach) { writer.appendStream(Tck.newStreamId(), Tck.events(1), ExpectedVersion.NoStream) }
            }
        }
        jobs.joinAll()
        val total = (writers * appendsEach).toLong()
        assertEquals(total, notifier.signal.signals.value)
        notifier.coveredSignal.first { it == total }

        val sent = notifier.sent.value
        assertTrue(sent in 1..total, "between 1 and $total notifies, was $sent")
        listener.notifications.first { it >= 1 }
        assertEquals(0, notifier.failures.value)
    }
}
