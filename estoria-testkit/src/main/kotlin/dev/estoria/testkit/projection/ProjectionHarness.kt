package dev.estoria.testkit.projection

import dev.estoria.error.EstoriaException
import dev.estoria.event.Event
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.ProjectionListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import java.time.Duration
import java.util.Collections

/** What one processor instance reported, for the clauses' invariants. */
internal class Recorder(private val streams: Set<String>? = null) : ProjectionListener {
    /** Positions of the kit's events in committed batches, in commit order. */
    val committed: MutableList<Long> = Collections.synchronizedList(ArrayList())
    val rejected: MutableList<EstoriaException> = Collections.synchronizedList(ArrayList())
    val acquired: MutableList<Lease> = Collections.synchronizedList(ArrayList())

    override fun batchCommitted(projection: String, events: List<Event>, position: Long) {
        for (e in events) if (streams == null || e.streamId.toString() in streams) committed += e.globalPosition ?: -1
    }

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
