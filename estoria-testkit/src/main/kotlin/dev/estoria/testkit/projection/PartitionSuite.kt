package dev.estoria.testkit.projection

import dev.estoria.event.Event
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.projection
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.UUID
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The contract of partitioned projections ([Projection.partitions] > 1) over a store's [GlobalReader],
 * [CheckpointStore] and [LeaseStore]: instances share the partitions fairly, a joining instance takes its share,
 * a graceful stop hands partitions over at once, a killed instance's partitions move when its leases expire;
 * no event is lost, none is committed twice, each stream's events stay in order. Waits end on conditions
 * (owned partitions, positions), never on timers; they are bounded by the clause's time limit.
 */
public abstract class PartitionSuite<S> where S : EventStore, S : GlobalReader {
    /** The store under test; called once per clause. */
    protected abstract fun eventStore(): S

    /** The checkpoint store; called once per clause. */
    protected abstract fun checkpointStore(): CheckpointStore

    /** A lease store whose fenced writes move [checkpointStore]'s checkpoints; called once per clause. */
    protected abstract fun leaseStore(): LeaseStore

    private fun partitioned(streams: Set<TypeId>, view: View): Projection =
        projection("tck-part-${UUID.randomUUID()}") {
            partitions(8)
            onAny { e, _ -> if (e.streamId in streams) view.add(e) }
        }

    /** Every partition starts at the head, so that the clause reads only what it appends (the store is shared). */
    private suspend fun seed(p: Projection, reader: GlobalReader, checkpoints: CheckpointStore, at: Long) {
        for (name in p.checkpointNames) checkpoints.save(name, at)
        assertTrue(reader.headPosition() >= at)
    }

    /** Suspends until the instances' owned partitions satisfy [fair] (a cover of all 8, with the given sizes). */
    private suspend fun awaitShares(processors: List<ProjectionProcessor>, sizes: Set<Int>) {
        combine(processors.map { it.ownedPartitions }) { owned -> owned.toList() }.first { owned ->
            owned.flatten().sorted() == (0 until 8).toList() && owned.all { it.size in sizes }
        }
    }

    /** One writer per stream, [rounds] appends each; [last] keeps the highest position appended (see [append]). */
    private fun CoroutineScope.writers(store: EventStore, streams: List<TypeId>, rounds: Int, last: AtomicLong) =
        streams.map { s -> launch { repeat(rounds) { append(store, s, 1 + it % 2, last) } } }

    private suspend fun replay(reader: GlobalReader, from: Long, streams: List<TypeId>): List<Event> =
        reader.readAll(from).toList().filter { it.streamId in streams }

    /**
     * Every partition of every stream gets a checkpoint and each stream stays in order even without leases: a
     * single instance owns all partitions, reads the log once and commits each partition's events with its own
     * checkpoint; each event is applied once.
     */
    @Test
    public fun `without leases one instance owns every partition and each partition checkpoints its own events`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val streams = List(12) { Tck.newStreamId() }
        val first = append(store, streams[0], 1)
        val view = View()
        val p = partitioned(streams.toSet(), view)
        seed(p, store, checkpoints, before(first))
        val written = first + streams.flatMap { append(store, it, 3) }
        val last = written.maxOf { it.globalPosition ?: 0 }
        real {
            val processor = ProjectionProcessor(p, store, checkpoints, fast().build())
            processor.start(this)
            processor.awaitPosition(last)
            assertEquals((0 until 8).toSet(), processor.ownedPartitions.value)
            processor.stop()
        }
        assertEquals(written.map { it.globalPosition }.sortedBy { it }, view.positions.toList().sorted(), "each event applied once")
        assertEquals(emptyList(), view.outOfOrder())
        for (name in p.checkpointNames) assertTrue((checkpoints.load(name) ?: 0) >= last, "checkpoint $name reached $last")
        assertTrue(written.map { p.partitionOf(it.streamId) }.toSet().size > 1, "the streams spread over several partitions")
    }

    /**
     * Scaling out: an instance joining a running fleet must get its fair share (the others release what is above
     * theirs), and a graceful stop must hand the stopped instance's partitions to the others at once (the leases
     * last longer than the clause may run, so expiry cannot be what moves them); writers run throughout and every
     * event is committed by exactly one batch, each stream in order.
     */
    @Test
    public fun `a joining instance takes its share and a graceful stop hands its partitions over at once`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val leases = leaseStore()
        val streams = List(6) { Tck.newStreamId() }
        val first = append(store, streams[0], 1)
        val view = View()
        val p = partitioned(streams.toSet(), view)
        seed(p, store, checkpoints, before(first))
        val recorders = List(3) { Recorder(streams.map { it.toString() }.toSet()) }
        real {
            val processors = recorders.mapIndexed { i, r ->
                ProjectionProcessor(
                    p, store, checkpoints,
                    fast().leases(leases, Duration.ofMinutes(10)).acquireInterval(Duration.ofMillis(20)).owner("tck-$i").listener(r).build(),
                )
            }
            processors[0].start(this)
            processors[1].start(this)
            awaitShares(processors.take(2), setOf(4))
            val last = AtomicLong()
            val writing = writers(store, streams, 6, last)
            processors[2].start(this)
            awaitShares(processors, setOf(2, 3))
            writing.joinAll()
            processors[1].stop()
            awaitShares(listOf(processors[0], processors[2]), setOf(4))
            writers(store, streams, 2, last).joinAll()
            processors[0].awaitPosition(last.get())
            processors[2].awaitPosition(last.get())
            processors[0].stop()
            processors[2].stop()
        }
        val replay = replay(store, before(first), streams)
        assertEquals(replay.map { it.globalPosition }, recorders.flatMap { it.committed }.sortedBy { it }, "each event committed exactly once")
        assertEquals(emptyList(), recorders.flatMap { it.committedOutOfOrder() })
    }

    /**
     * Failover: three instances share 8 partitions while writers append; one is killed (cancelled: it releases
     * nothing, as a crashed JVM). Its partitions must move to the survivors once its leases expire, no event may be
     * lost (every one applied, every partition's checkpoint past the last write), none committed twice, and each
     * stream's committed versions must rise.
     */
    @Test
    public fun `a killed instance's partitions move to the others and nothing is lost or committed twice`(): TestResult = Tck.run {
        val store = eventStore()
        val checkpoints = checkpointStore()
        val leases = leaseStore()
        val streams = List(8) { Tck.newStreamId() }
        val first = append(store, streams[0], 1)
        val views = List(3) { View() }
        val name = "tck-part-${UUID.randomUUID()}"
        val projections = views.map { v -> projection(name) { partitions(8); onAny { e, _ -> if (e.streamId in streams) v.add(e) } } }
        seed(projections[0], store, checkpoints, before(first))
        val recorders = List(3) { Recorder(streams.map { it.toString() }.toSet()) }
        real {
            val processors = recorders.mapIndexed { i, r ->
                ProjectionProcessor(
                    projections[i], store, checkpoints,
                    fast().leases(leases, Duration.ofSeconds(2)).acquireInterval(Duration.ofMillis(50)).owner("tck-$i").listener(r).build(),
                )
            }
            val jobs = processors.map { it.start(this) }
            awaitShares(processors, setOf(2, 3))
            val last = AtomicLong()
            val writing = writers(store, streams, 8, last)
            // killed mid-run, once it has committed something
            recorders[1].firstCommit.await()
            jobs[1].cancel()
            awaitShares(listOf(processors[0], processors[2]), setOf(4))
            writing.joinAll()
            writers(store, streams, 1, last).joinAll()
            processors[0].awaitPosition(last.get())
            processors[2].awaitPosition(last.get())
            processors[0].stop()
            processors[2].stop()
        }
        val replay = replay(store, before(first), streams)
        val applied = views.flatMap { it.positions.toList() }.toSet()
        assertEquals(emptyList(), replay.map { it.globalPosition }.filter { it !in applied }, "events never applied")
        val committed = recorders.flatMap { it.committed }
        assertEquals(committed.size, committed.toSet().size, "an event committed twice")
        assertEquals(emptyList(), recorders.flatMap { it.committedOutOfOrder() })
        val last = replay.last().globalPosition ?: 0
        for (n in projections[0].checkpointNames) assertTrue((checkpoints.load(n) ?: 0) >= last, "checkpoint $n reached $last")
    }
}
