package dev.estoria.testkit.projection

import dev.estoria.error.LeaseLostException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.event.Event
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.projection.AppendSignal
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.ErrorPolicy
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.memory.InMemoryDeadLetters
import dev.estoria.projection.projection
import dev.estoria.projection.signalling
import dev.estoria.testkit.Tck
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.Collections
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The contract of `ProjectionProcessor` over a store's [GlobalReader], [CheckpointStore] and [LeaseStore]:
 * nothing skipped, per-stream order, every event committed by exactly one batch across competing instances,
 * the error policies, redelivery after a crash, and the in-process wake-up. Processors run on real
 * dispatchers; waits end on events, never on timers, and are bounded by the clause's time limit.
 */
public abstract class ProjectionSuite<S> where S : EventStore, S : GlobalReader {
    /** The store under test (a store without a global order does not compile here); called once per clause. */
    protected abstract fun eventStore(): S

    /** The checkpoint store; called once per clause. */
    protected abstract fun checkpointStore(): CheckpointStore

    /** A lease store whose fenced writes move [checkpointStore]'s checkpoints; called once per clause. */
    protected abstract fun leaseStore(): LeaseStore


    private fun newName() = "tck-${UUID.randomUUID()}"


    private fun viewOf(name: String, streams: Set<TypeId>, view: View, policy: ErrorPolicy = ErrorPolicy.stop(), gate: suspend (Event) -> Unit = {}): Projection =
        projection(name) {
            errorPolicy(policy)
            onAny { e, _ ->
                if (e.streamId in streams) {
                    gate(e)
                    view.add(e)
                }
            }
        }

    /** Starts at the head so that the clause reads only what it appends (the store is shared). */
    private suspend fun seed(reader: GlobalReader, checkpoints: CheckpointStore, name: String) {
        checkpoints.save(name, reader.headPosition())
    }


    /** Runs [p] in a processor until it has applied [written], then stops it. */
    private suspend fun runUntil(p: Projection, reader: GlobalReader, checkpoints: CheckpointStore, written: List<Event>) = real {
        val processor = ProjectionProcessor(p, reader, checkpoints, fast().build())
        processor.start(this)
        processor.awaitPosition(written.last().globalPosition ?: 0)
        processor.stop()
    }

    /**
     * The basic promise of a read model: every appended event is applied, each stream in version order, the
     * checkpoint reaches the last position, `awaitPosition` returns for a written position (read-your-writes)
     * and `caughtUp` turns true.
     */
    @Test
    public fun `a projection applies every event in order and awaitPosition sees the last write`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val streams = List(3) { Tck.newStreamId() }
        val first = append(store, streams[0], 2)
        val name = newName()
        val view = View()
        val p = viewOf(name, streams.toSet(), view)
        checkpoints.save(p.checkpointName, (first.first().globalPosition ?: 1) - 1)
        val written = first + streams.flatMap { append(store, it, 5) }
        val last = written.maxOf { it.globalPosition ?: 0 }
        real {
            val processor = ProjectionProcessor(p, reader, checkpoints, fast().build())
            processor.start(this)
            processor.awaitPosition(last)
            processor.awaitCaughtUp()
            processor.stop()
        }
        assertEquals(written.map { it.globalPosition }, view.positions.toList())
        assertEquals(mapOf(streams[0] to (1L..7L).toList(), streams[1] to (1L..5L).toList(), streams[2] to (1L..5L).toList()), view.byStream.toMap())
        assertTrue((checkpoints.load(p.checkpointName) ?: 0) >= last)
    }

    /**
     * Events are read through the aggregate definitions' registries: a typed handler receives decoded events of
     * its aggregate's streams with the envelope (stream, version, position, metadata, timestamp), and nothing else.
     */
    @Test
    public fun `typed handlers receive events decoded through the definition's registry with their envelope`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val counter = TypeId.new(TckCounter.TYPE)
        fun added() = WritableEvent.of("added", """{"amount":5}""".encodeToByteArray(), WritableEvent.DEFAULT_CONTENT_TYPE, mapOf("who" to "tck"))
        val labelled = WritableEvent.of("labelled", """{"label":"x"}""".encodeToByteArray())
        val stored = store.appendStream(counter, listOf(added(), labelled, added())).events
        assertEquals(3, stored.size)
        val sums = ArrayList<String>()
        val name = newName()
        val p = projection(name) {
            on<TckCounter.Added>(TckCounter.definition) { e, env ->
                if (env.streamId == counter) sums += "${e.amount}@${env.streamVersion}/${env.globalPosition}/${env.metadata["who"]}/${env.timestamp == env.event.timestamp}"
            }
        }
        checkpoints.save(p.checkpointName, before(stored))
        real {
            val processor = ProjectionProcessor(p, reader, checkpoints, fast().build())
            processor.start(this)
            processor.awaitPosition(stored.last().globalPosition ?: 0)
            processor.stop()
        }
        assertEquals(listOf("5@1/${stored[0].globalPosition}/tck/true", "5@3/${stored[2].globalPosition}/tck/true"), sums)
    }

    /**
     * No skipped event and per-stream order under concurrency: 8 writers append while the projection runs
     * (concurrent commits land out of position order on some stores); the final view must equal a replay of the
     * log, each event once, each stream in increasing version order.
     */
    @Test
    public fun `no event is skipped and streams stay in order while 8 writers append`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val streams = List(8) { Tck.newStreamId() }
        val firstEvents = streams.map { append(store, it, 1) }
        val name = newName()
        val view = View()
        val p = viewOf(name, streams.toSet(), view)
        checkpoints.save(p.checkpointName, (firstEvents.minOf { it.first().globalPosition ?: 1 }) - 1)
        real {
            val processor = ProjectionProcessor(p, reader, checkpoints, fast().build())
            processor.start(this)
            // the last appended position, not headPosition() (see append)
            val last = AtomicLong()
            streams.map { s -> launch { repeat(15) { append(store, s, 1 + it % 3, last) } } }.joinAll()
            processor.awaitPosition(last.get())
            processor.stop()
        }
        val replay = reader.readAll((firstEvents.minOf { it.first().globalPosition ?: 1 }) - 1).toList().filter { it.streamId in streams }
        assertEquals(replay.map { it.globalPosition }, view.positions.toList(), "the view is a replay of the log")
        assertEquals(emptyList(), view.outOfOrder())
        for (s in streams) assertEquals((1L..(1 + (0 until 15).sumOf { 1 + it % 3 }).toLong()).toList(), view.byStream[s]?.toList())
    }

    /**
     * The stop policy must not lose progress nor skip: the events before the failing one are checkpointed,
     * the processor fails with ProjectionFailedException naming the position, and awaiting a later position fails too.
     */
    @Test
    public fun `the stop policy checkpoints the events before a failing one and fails the processor`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 5)
        val view = View()
        val p = viewOf(newName(), setOf(stream), view) { e -> if (e.streamVersion == 3L) error("boom at 3") }
        checkpoints.save(p.checkpointName, before(written))
        val failure = real {
            val processor = ProjectionProcessor(p, reader, checkpoints, fast().build())
            val job = processor.start(this)
            val awaited = assertFailsWith<ProjectionFailedException> { processor.awaitPosition(written.last().globalPosition ?: 0) }
            job.join()
            awaited
        }
        assertEquals(written[2].globalPosition, failure.position)
        assertEquals(written[1].globalPosition, checkpoints.load(p.checkpointName))
        assertEquals(listOf(1L, 2L), view.byStream[stream]?.toList())
    }

    /** Transient failures must not stop a projection: the retry policy calls the handler again and then goes on in order. */
    @Test
    public fun `the retry policy calls a failing handler again and goes on in order`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 4)
        val calls = AtomicInteger()
        val view = View()
        val policy = ErrorPolicy.retry(3, Duration.ofMillis(1), Duration.ofMillis(4))
        val p = viewOf(newName(), setOf(stream), view, policy) { e -> if (e.streamVersion == 2L && calls.incrementAndGet() < 3) error("transient") }
        checkpoints.save(p.checkpointName, before(written))
        runUntil(p, reader, checkpoints, written)
        assertEquals(3, calls.get())
        assertEquals(listOf(1L, 2L, 3L, 4L), view.byStream[stream]?.toList())
    }

    /** A poison event must not block a projection forever nor vanish: the skip policy records it, with its cause, and applies the rest. */
    @Test
    public fun `the skip policy dead-letters the failing event with its cause and applies the rest`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 4)
        val letters = InMemoryDeadLetters()
        val view = View()
        val p = viewOf(newName(), setOf(stream), view, ErrorPolicy.retry(2, Duration.ZERO, Duration.ZERO, letters)) { e ->
            if (e.streamVersion == 2L) throw IllegalStateException("poison")
        }
        checkpoints.save(p.checkpointName, before(written))
        runUntil(p, reader, checkpoints, written)
        assertEquals(listOf(1L, 3L, 4L), view.byStream[stream]?.toList())
        val letter = letters.all().single()
        assertEquals(written[1], letter.event)
        assertEquals("poison", letter.cause.message)
        assertEquals(2, letter.attempts)
    }

    /**
     * At least once: when an instance dies after its handlers ran but before the checkpoint was written, the
     * next instance must deliver the batch again rather than skip it.
     */
    @Test
    public fun `a crash between the handlers and the checkpoint redelivers the batch to the next instance`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 3)
        val view = View()
        val p = viewOf(newName(), setOf(stream), view)
        val start = before(written)
        checkpoints.save(p.checkpointName, start)
        val crashing = object : CheckpointStore by checkpoints {
            override suspend fun save(name: String, position: Long) = throw IllegalStateException("crash before the checkpoint")
        }
        real {
            val job = ProjectionProcessor(p, reader, crashing, fast().build()).start(this)
            job.join()
            assertTrue(job.isCancelled, "the first instance failed")
        }
        assertEquals(start, checkpoints.load(p.checkpointName))
        assertEquals(listOf(1L, 2L, 3L), view.byStream[stream]?.toList())
        runUntil(p, reader, checkpoints, written)
        assertEquals(listOf(1L, 2L, 3L, 1L, 2L, 3L), view.byStream[stream]?.toList())
    }

    /**
     * One active instance: three instances of one projection compete for its lease while writers append; every
     * event must be in exactly one committed batch (no skip, no double commit) whichever instance committed it.
     */
    @Test
    public fun `with three competing instances every event is committed by exactly one batch`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val leases = leaseStore()
        val streams = List(3) { Tck.newStreamId() }
        val first = streams.map { append(store, it, 1) }
        val name = newName()
        val ids = streams.map { it.toString() }.toSet()
        val p = viewOf(name, streams.toSet(), View())
        checkpoints.save(p.checkpointName, first.minOf { it.first().globalPosition ?: 1 } - 1)
        val recorders = List(3) { Recorder(ids) }
        real {
            val processors = recorders.mapIndexed { i, r ->
                ProjectionProcessor(p, reader, checkpoints, fast().leases(leases, Duration.ofSeconds(30)).owner("tck-$i").listener(r).build())
            }
            processors.forEach { it.start(this) }
            streams.map { s -> launch { repeat(10) { append(store, s, 2) } } }.joinAll()
            val head = reader.headPosition()
            // the owner stops gracefully; another takes over at once from the released lease
            while (recorders.none { it.acquired.isNotEmpty() }) kotlinx.coroutines.delay(5)
            val owner = processors[recorders.indexOfFirst { it.acquired.isNotEmpty() }]
            owner.awaitPosition(head)
            owner.stop()
            // the last appended position, not headPosition() (see append)
            val last = appendAll(store, streams)
            processors.filter { it !== owner }.forEach { it.awaitPosition(maxOf(head, last)) }
            processors.forEach { it.stop() }
        }
        val replay = reader.readAll(first.minOf { it.first().globalPosition ?: 1 } - 1).toList().filter { it.streamId in streams }
        val committed = recorders.flatMap { it.committed }
        assertEquals(replay.map { it.globalPosition }.sortedBy { it }, committed.sorted(), "each event committed exactly once")
        assertTrue(recorders.count { it.acquired.isNotEmpty() } >= 2, "the lease moved on the graceful stop")
    }

    /** Appends one event to each of [streams] concurrently; returns the highest position appended. */
    private suspend fun appendAll(store: EventStore, streams: List<TypeId>): Long {
        val last = AtomicLong()
        coroutineScope { streams.map { s -> launch { append(store, s, 1, last) } }.joinAll() }
        return last.get()
    }

    /**
     * Fencing: an instance paused past its lease (no renewal) while applying a batch is a zombie; another
     * instance takes over and applies the batch; when the zombie resumes its checkpoint write must fail with
     * LeaseLostException, so every event stays committed exactly once.
     */
    @Test
    public fun `an instance paused past its lease cannot commit and its batch is applied by the new owner`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val leases = leaseStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 3)
        val ids = setOf(stream.toString())
        val paused = PausableLeases(leases)
        val entered = CompletableDeferred<Unit>()
        val resume = CompletableDeferred<Unit>()
        val zombieView = View()
        val ownerView = View()
        val name = newName()
        val zombie = viewOf(name, setOf(stream), zombieView) {
            paused.paused.value = true
            entered.complete(Unit)
            resume.await()
        }
        val successor = viewOf(name, setOf(stream), ownerView)
        checkpoints.save(zombie.checkpointName, before(written))
        val zombieRecorder = Recorder(ids)
        val ownerRecorder = Recorder(ids)
        val short = Duration.ofMillis(300)
        real {
            val a = ProjectionProcessor(zombie, reader, checkpoints, fast().leases(paused, short).owner("zombie").listener(zombieRecorder).build())
            a.start(this)
            entered.await()
            val b = ProjectionProcessor(successor, reader, checkpoints, fast().leases(leases, short).owner("successor").listener(ownerRecorder).build())
            b.start(this)
            b.awaitPosition(written.last().globalPosition ?: 0)
            resume.complete(Unit)
            while (zombieRecorder.rejected.isEmpty()) kotlinx.coroutines.delay(5)
            b.stop()
            a.stop()
        }
        assertIs<LeaseLostException>(zombieRecorder.rejected.first())
        assertEquals(emptyList(), zombieRecorder.committed)
        assertEquals(written.map { it.globalPosition }, ownerRecorder.committed.toList())
        assertEquals(listOf(1L, 2L, 3L), ownerView.byStream[stream]?.toList())
    }

    /**
     * The rebuild recipe: a new version (here with partitions) runs beside the old one from the start (the
     * clause's first event stands for position 0: the kit's store is shared), catches up, and readers switch to
     * it; retiring the old version must delete its checkpoint and lease and leave the new version's alone, and
     * retiring a partitioned version must delete every partition checkpoint and every partition and member lease.
     */
    @Test
    public fun `a rebuilt version catches up beside the old one and retiring the old one deletes its checkpoints and leases`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val leases = leaseStore()
        val stream = Tck.newStreamId()
        val written = append(store, stream, 4)
        val name = newName()
        val oldView = View()
        val newView = View()
        val v1 = projection(name, 1) { onAny { e, _ -> if (e.streamId == stream) oldView.add(e) } }
        val v2 = projection(name, 2) {
            partitions(4)
            onAny { e, _ -> if (e.streamId == stream) newView.add(e) }
        }
        checkpoints.save(v1.checkpointName, before(written))
        val long = Duration.ofMinutes(1)
        real {
            val old = ProjectionProcessor(v1, store, checkpoints, fast().leases(leases, long).owner("old").build())
            old.start(this)
            old.awaitPosition(written.last().globalPosition ?: 0)
            for (n in v2.checkpointNames) checkpoints.save(n, before(written))
            val rebuilt = ProjectionProcessor(v2, store, checkpoints, fast().leases(leases, long).acquireInterval(Duration.ofMillis(20)).owner("new").build())
            rebuilt.start(this)
            val more = append(store, stream, 2)
            rebuilt.awaitPosition(more.last().globalPosition ?: 0)
            old.awaitPosition(more.last().globalPosition ?: 0)
            old.stop()
            rebuilt.stop()
        }
        assertEquals((1L..6L).toList(), newView.byStream[stream]?.toList())
        assertEquals(oldView.byStream[stream]?.toList(), newView.byStream[stream]?.toList())
        assertTrue(leases.leases(v1.checkpointName).isNotEmpty(), "the old version held a lease")
        ProjectionProcessor.retire(v1, checkpoints, leases)
        assertNull(checkpoints.load(v1.checkpointName))
        assertEquals(emptyList(), leases.leases(v1.checkpointName))
        for (n in v2.checkpointNames) assertTrue((checkpoints.load(n) ?: 0) >= (written.last().globalPosition ?: 0), "$n kept")
        assertEquals(5, leases.leases(v2.checkpointName).size, "4 partition leases and 1 member lease")
        ProjectionProcessor.retire(v2, checkpoints, leases)
        for (n in v2.checkpointNames) assertNull(checkpoints.load(n))
        assertEquals(emptyList(), leases.leases(v2.checkpointName))
    }

    /** Live tailing without busy polling: an idle processor with a long back-off must be woken at once by the in-process append signal. */
    @Test
    public fun `an idle processor is woken by the in-process append signal`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val checkpoints = checkpointStore()
        val stream = Tck.newStreamId()
        val before = append(store, stream, 1)
        val view = View()
        val p = viewOf(newName(), setOf(stream), view)
        checkpoints.save(p.checkpointName, before.last().globalPosition ?: 0)
        val signal = AppendSignal()
        val writer = store.signalling(signal)
        real {
            val options = fast().idleBackoff(Duration.ofHours(1), Duration.ofHours(1)).wakeUp(signal).build()
            val processor = ProjectionProcessor(p, reader, checkpoints, options)
            processor.start(this)
            processor.awaitCaughtUp()
            val written = append(writer, stream, 2)
            processor.awaitPosition(written.last().globalPosition ?: 0)
            processor.stop()
        }
        assertEquals(listOf(2L, 3L), view.byStream[stream]?.toList())
    }
}
