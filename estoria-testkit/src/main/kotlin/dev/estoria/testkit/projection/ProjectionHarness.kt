package dev.estoria.testkit.projection

import dev.estoria.error.EstoriaException
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.projection.ProjectionOptions
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.withContext
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import dev.estoria.event.Event
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.ProjectionListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import java.time.Duration
import java.util.Collections

/** Small batches and a short idle back-off, so that clauses run many batches quickly. */
internal fun fast(): ProjectionOptions.Builder =
    ProjectionOptions.builder().batchSize(7).idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))

/** Events applied per stream, in delivery order. */
internal class View {
    val byStream = ConcurrentHashMap<TypeId, MutableList<Long>>()
    val positions: MutableList<Long> = Collections.synchronizedList(ArrayList())

    fun add(e: Event) {
        byStream.computeIfAbsent(e.streamId) { Collections.synchronizedList(ArrayList()) } += e.streamVersion
        positions += e.globalPosition ?: -1
    }

    fun outOfOrder(): List<TypeId> = byStream.filter { (_, v) -> synchronized(v) { v.zipWithNext().any { (a, b) -> b < a } } }.keys.toList()
}

/**
 * Appends [count] kit events to [stream]; fails the clause when the store does not return them. [last], when
 * given, is raised to the highest position appended: clauses await that rather than `headPosition()`, since a
 * transaction running elsewhere on the server may hold the stable prefix below the writers' last events for a
 * moment (PostgreSQL), and a processor stopped at that prefix misses them.
 */
internal suspend fun append(store: EventStore, stream: TypeId, count: Int, last: AtomicLong? = null): List<Event> {
    val result = store.appendStream(stream, Tck.events(count))
    assertEquals(count, result.events.size, "append returned ${result.events.size} events")
    if (last != null) for (e in result.events) last.accumulateAndGet(e.globalPosition ?: 0L, ::maxOf)
    return result.events
}

/** Runs [block] on real dispatchers in a supervised scope that is cancelled (with every processor in it) at the end. */
internal suspend fun <T> real(block: suspend CoroutineScope.() -> T): T = withContext(Dispatchers.Default) {
    // processors that fail are inspected through their jobs; their failure must not fail the clause's scope
    val scope = CoroutineScope(coroutineContext + SupervisorJob(coroutineContext[Job]) + CoroutineExceptionHandler { _, _ -> })
    try {
        scope.block()
    } finally {
        scope.coroutineContext[Job]?.cancelAndJoin()
    }
}

/** The position just before the first of [events]. */
internal fun before(events: List<Event>): Long = (events.first().globalPosition ?: 1) - 1

/** What one processor instance reported, for the clauses' invariants. */
internal class Recorder(private val streams: Set<String>? = null) : ProjectionListener {
    /** Positions of the kit's events in committed batches, in commit order. */
    val committed: MutableList<Long> = Collections.synchronizedList(ArrayList())
    val rejected: MutableList<EstoriaException> = Collections.synchronizedList(ArrayList())
    val acquired: MutableList<Lease> = Collections.synchronizedList(ArrayList())

    /** Completed by the first batch this instance commits (kit events or not). */
    val firstCommit = CompletableDeferred<Unit>()

    /** The versions of each stream in committed batches, in commit order. */
    val committedVersions = ConcurrentHashMap<TypeId, MutableList<Long>>()

    override fun batchCommitted(projection: String, events: List<Event>, position: Long) {
        firstCommit.complete(Unit)
        for (e in events) {
            if (streams != null && e.streamId.toString() !in streams) continue
            committed += e.globalPosition ?: -1
            committedVersions.computeIfAbsent(e.streamId) { Collections.synchronizedList(ArrayList()) } += e.streamVersion
        }
    }

    /** The streams whose committed versions did not strictly increase. */
    fun committedOutOfOrder(): List<TypeId> =
        committedVersions.filter { (_, v) -> synchronized(v) { v.zipWithNext().any { (a, b) -> b <= a } } }.keys.toList()

    override fun commitRejected(projection: String, cause: EstoriaException) {
        rejected += cause
    }

    override fun leaseAcquired(lease: Lease) {
        acquired += lease
    }
}

/** A lease store whose renewals wait while [paused]: an instance that stops renewing (a long GC pause, a frozen VM). */
internal class PausableLeases(private val inner: LeaseStore) : LeaseStore {
    val paused = MutableStateFlow(false)

    override suspend fun tryAcquire(name: String, owner: String, duration: Duration): Lease? = inner.tryAcquire(name, owner, duration)

    override suspend fun renew(lease: Lease, duration: Duration): Lease {
        paused.first { !it }
        return inner.renew(lease, duration)
    }

    override suspend fun release(lease: Lease) = inner.release(lease)

    override suspend fun commitCheckpoint(lease: Lease, previous: Long?, position: Long) = inner.commitCheckpoint(lease, previous, position)

    override suspend fun leases(prefix: String): List<Lease> = inner.leases(prefix)

    override suspend fun delete(name: String) = inner.delete(name)
}
