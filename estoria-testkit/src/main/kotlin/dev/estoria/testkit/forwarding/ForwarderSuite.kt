package dev.estoria.testkit.forwarding

import dev.estoria.event.Event
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.forwarding.ForwardHandler
import dev.estoria.forwarding.Forwarder
import dev.estoria.forwarding.ForwarderOptions
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.testkit.Tck
import dev.estoria.testkit.projection.append
import dev.estoria.testkit.projection.real
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.Collections
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The contract of `Forwarder` (the outbox) over a store's [GlobalReader] and a [CheckpointStore]: per-stream
 * FIFO, a failing stream halted alone and released in order, at least once across restarts. Forwarders run
 * on real dispatchers; waits end on events, never on timers, and are bounded by the clause's time limit.
 */
public abstract class ForwarderSuite<S> where S : EventStore, S : GlobalReader {
    /** The store under test; called once per clause. */
    protected abstract fun eventStore(): S

    /** The checkpoint store; called once per clause. */
    protected abstract fun checkpointStore(): CheckpointStore

    private fun newName() = "tck-fwd-${UUID.randomUUID()}"

    private fun fast(): ForwarderOptions =
        ForwarderOptions.builder().batchSize(5).idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .retries(3, Duration.ofMillis(1), Duration.ofMillis(5)).build()

    /** What a handler delivered, per stream in delivery order, for the clause's own streams only. */
    private class Received(private val streams: Set<TypeId>) {
        val byStream = ConcurrentHashMap<TypeId, MutableList<Long>>()
        val count = MutableStateFlow(0)

        fun add(e: Event) {
            if (e.streamId !in streams) return
            byStream.computeIfAbsent(e.streamId) { Collections.synchronizedList(ArrayList()) } += e.streamVersion
            count.update { it + 1 }
        }

        fun of(stream: TypeId): List<Long> = byStream[stream]?.let { synchronized(it) { it.toList() } } ?: emptyList()

        suspend fun awaitHas(stream: TypeId, version: Long) = count.first { of(stream).contains(version) }
    }

    /** Starts at the head so that the clause reads only what it appends (the store is shared). */
    private suspend fun seeded(reader: GlobalReader, checkpoints: CheckpointStore): String =
        newName().also { checkpoints.save(it, reader.headPosition()) }

    /**
     * An external system down for one stream must not stop the others (the outbox must not become one queue
     * blocked by its worst consumer), and must not reorder that stream: its later events wait, and after a
     * release they are delivered from the held one, in order.
     */
    @Test
    public fun `a handler failing for one stream halts that stream only, release resumes it in order`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val name = seeded(store, checkpoints)
        val bad = Tck.newStreamId()
        val good = Tck.newStreamId()
        val received = Received(setOf(bad, good))
        val failing = MutableStateFlow(true)
        real {
            val forwarder = Forwarder(name, store, checkpoints, ForwardHandler { env ->
                if (env.streamId == bad && failing.value) throw IllegalStateException("broker down for $bad")
                received.add(env.event)
            }, fast())
            forwarder.start(this)
            append(store, bad, 2)
            append(store, good, 2)
            forwarder.halted.first { list -> list.any { it.streamId == bad } }
            append(store, bad, 1)
            append(store, good, 1)
            received.awaitHas(good, 3)

            assertEquals(listOf(1L, 2L, 3L), received.of(good), "the other stream went on")
            assertEquals(emptyList(), received.of(bad), "the halted stream delivered nothing")
            val halt = forwarder.halted.value.single { it.streamId == bad }
            assertEquals(1L, halt.event.streamVersion, "held from its first undelivered event")
            assertEquals(3, halt.attempts, "retried up to maxAttempts")
            assertEquals(1, forwarder.metrics.value.haltedStreams)
            assertTrue(forwarder.metrics.value.retried >= 2, "retries counted")
            assertTrue(forwarder.metrics.value.checkpoint < (halt.event.globalPosition ?: 0), "the checkpoint stays below the held event")

            failing.value = false
            assertTrue(forwarder.release(bad), "released")
            assertTrue(!forwarder.release(good), "a stream that is not halted is not released")
            received.awaitHas(bad, 3)
            assertEquals(listOf(1L, 2L, 3L), received.of(bad), "resumed in order from the held event")
            assertEquals(listOf(1L, 2L, 3L), received.of(good), "the other stream was not delivered again")
            assertEquals(emptyList(), forwarder.halted.value)
            forwarder.stop()
        }
    }

    /** Consumers of an outbox rely on each aggregate's events arriving in the order they happened. */
    @Test
    public fun `per-stream FIFO holds under concurrent writers`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val name = seeded(store, checkpoints)
        val streams = List(16) { Tck.newStreamId() }
        val received = Received(streams.toSet())
        real {
            val forwarder = Forwarder(name, store, checkpoints, ForwardHandler { received.add(it.event) }, fast())
            forwarder.start(this)
            // awaitAll, not joinAll: a writer's failed append fails the clause at once instead of leaving it waiting
            streams.chunked(2).map { mine ->
                async(Dispatchers.IO) { repeat(5) { mine.forEach { s -> append(store, s, 2) } } }
            }.awaitAll()
            received.count.first { it >= streams.size * 10 }
            for (s in streams) assertEquals((1L..10L).toList(), received.of(s), "stream $s in order, each once")
            forwarder.stop()
        }
    }

    /**
     * A forwarder that dies (cancelled mid-delivery) must lose nothing: its successor starts from the saved
     * checkpoint and delivers every later event again if needed (at least once), in order per stream; a
     * stream halted before the restart is tried again, never skipped.
     */
    @Test
    public fun `a restarted forwarder delivers everything after its checkpoint, at least once and in order`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val name = seeded(store, checkpoints)
        val a = Tck.newStreamId()
        val b = Tck.newStreamId()
        val first = Received(setOf(a, b))
        val second = Received(setOf(a, b))
        append(store, a, 3)
        append(store, b, 4)
        append(store, a, 3)
        val blocked = CompletableDeferred<Unit>()
        real {
            val scope = CoroutineScope(coroutineContext + Job(coroutineContext[Job]))
            val dying = Forwarder(name, store, checkpoints, ForwardHandler { env ->
                if (env.streamId == a && env.streamVersion >= 5L) {
                    blocked.complete(Unit)
                    kotlinx.coroutines.awaitCancellation()
                }
                if (env.streamId == b && env.streamVersion == 2L) throw IllegalStateException("b is down")
                first.add(env.event)
            }, fast())
            dying.start(scope)
            blocked.await()
            assertTrue(dying.halted.value.any { it.streamId == b }, "b halted before the crash")
            scope.coroutineContext[Job]?.cancelAndJoin()

            val successor = Forwarder(name, store, checkpoints, ForwardHandler { second.add(it.event) }, fast())
            successor.start(this)
            second.count.first { second.of(a).contains(6L) && second.of(b).contains(4L) }
            for ((stream, last) in listOf(a to 6L, b to 4L)) {
                val again = second.of(stream)
                assertEquals((again.first()..last).toList(), again, "stream $stream contiguous and in order after the restart")
                val delivered = (first.of(stream) + again).toSet()
                assertEquals((1L..last).toSet(), delivered, "nothing of $stream skipped")
            }
            assertTrue(2L in second.of(b), "the halted stream is tried again from its held event")
            assertEquals(emptyList(), first.of(a).filter { it >= 5L }, "the crash hit a before version 5")
            successor.stop()
        }
    }
}
