package dev.estoria.projection.internal

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.EstoriaException
import dev.estoria.error.LeaseLostException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionLag
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import java.time.Duration

/** The processor's loop: acquire (when leased), then read, apply and commit batches until stopped. */
internal class ProcessorEngine(
    private val projection: Projection,
    private val reader: GlobalReader,
    private val checkpoints: CheckpointStore,
    private val options: ProjectionOptions,
) : Engine {
    private val name = projection.checkpointName
    private val listener = options.listener
    private val committer = options.committer ?: DirectCommitter(checkpoints, options.leases)
    private val stopRequested = MutableStateFlow(false)
    private val failure = MutableStateFlow<Throwable?>(null)
    private val caught = MutableStateFlow(false)
    private val committed = MutableStateFlow(0L)

    override val caughtUp: StateFlow<Boolean> = caught.asStateFlow()
    override val position: StateFlow<Long> = committed.asStateFlow()

    override fun requestStop() {
        stopRequested.value = true
    }

    override suspend fun run() {
        try {
            val leases = options.leases
            while (!stopRequested.value) {
                val lease = if (leases == null) null else (acquire(leases) ?: break)
                try {
                    coroutineScope {
                        val renewer = if (leases != null && lease != null) launch { renew(leases, lease) } else null
                        process(lease)
                        renewer?.cancel()
                    }
                    if (leases != null && lease != null) {
                        leases.release(lease)
                        listener.leaseReleased(lease)
                    }
                } catch (e: LeaseLostException) {
                    caught.value = false
                    if (lease != null) listener.leaseLost(lease, e) else throw e
                } catch (e: CheckpointConflictException) {
                    caught.value = false
                    listener.commitRejected(name, e)
                }
            }
        } catch (e: Throwable) {
            if (e !is CancellationException) failure.value = e
            throw e
        }
    }

    /** Tries until acquired; `null` when a stop was requested first. */
    private suspend fun acquire(leases: LeaseStore): Lease? {
        while (!stopRequested.value) {
            // a standby outlives a store that is briefly unavailable (or, on SQLite, write-locked)
            val lease = try {
                leases.tryAcquire(name, options.owner, options.leaseDuration)
            } catch (e: StoreException) {
                listener.acquireFailed(name, e)
                null
            }
            if (lease != null) {
                listener.leaseAcquired(lease)
                return lease
            }
            waitFor(options.acquireInterval, null)
        }
        return null
    }

    private suspend fun renew(leases: LeaseStore, first: Lease) {
        var lease = first
        while (true) {
            delay(options.renewInterval.toMillis())
            lease = leases.renew(lease, options.leaseDuration)
        }
    }

    private suspend fun process(lease: Lease?) {
        var checkpoint = checkpoints.load(name)
        committed.value = checkpoint ?: 0L
        var idle = options.idleMinBackoff
        while (!stopRequested.value) {
            val seen = options.wakeUp?.signals?.value
            val batch = reader.readAll(checkpoint ?: 0L, options.batchSize).toList()
            if (batch.isEmpty()) {
                if (!caught.value) {
                    caught.value = true
                    listener.caughtUp(name, checkpoint ?: 0L)
                }
                reportFrontier()
                waitFor(idle, seen)
                idle = minOf(idle.multipliedBy(2), options.idleMaxBackoff)
                continue
            }
            idle = options.idleMinBackoff
            val applied = ArrayList<Event>()
            var stopped: ProjectionFailedException? = null
            try {
                committer.commit(name, checkpoint, lease) {
                    applied.clear()
                    stopped = null
                    for (event in batch) {
                        stopped = applyWithPolicy(event)
                        if (stopped != null) break
                        applied += event
                    }
                    applied.lastOrNull()?.globalPosition
                }
            } catch (e: EstoriaException) {
                if (e is LeaseLostException || e is CheckpointConflictException) listener.commitRejected(name, e)
                throw e
            }
            val last = applied.lastOrNull()?.globalPosition
            if (last != null) {
                checkpoint = last
                committed.value = last
                listener.batchCommitted(name, applied.toList(), last)
            }
            stopped?.let { throw it }
            val full = batch.size >= options.batchSize
            if (listener !== ProjectionListener.NONE) listener.lag(name, lag())
            if (!full && !caught.value) {
                caught.value = true
                listener.caughtUp(name, checkpoint ?: 0L)
            } else if (full) {
                caught.value = false
            }
        }
    }

    private suspend fun applyWithPolicy(event: Event): ProjectionFailedException? = applyWithPolicy(projection, listener, name, event)

    private suspend fun waitFor(timeout: Duration, seen: Long?) = idleWait(options, stopRequested, timeout, seen)

    private suspend fun reportFrontier() = reportFrontier(reader, listener, name)

    override suspend fun awaitPosition(target: Long) =
        awaitReached(options, failure, committed) { committed.value >= target || (checkpoints.load(name) ?: 0L) >= target }

    override suspend fun lag(): ProjectionLag = lagAfter(reader, options, committed.value)
}
