package dev.estoria.projection.internal

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.EstoriaException
import dev.estoria.error.LeaseLostException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.eventstore.GlobalFrontier
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.DeadLetter
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionLag
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Duration

/** The processor's loop: acquire (when leased), then read, apply and commit batches until stopped. */
internal class ProcessorEngine(
    private val projection: Projection,
    private val reader: GlobalReader,
    private val checkpoints: CheckpointStore,
    private val options: ProjectionOptions,
) {
    private val name = projection.checkpointName
    private val listener = options.listener
    private val committer = options.committer ?: DirectCommitter(checkpoints, options.leases)
    private val stopRequested = MutableStateFlow(false)
    private val failure = MutableStateFlow<Throwable?>(null)
    private val caught = MutableStateFlow(false)
    private val committed = MutableStateFlow(0L)

    val caughtUp: StateFlow<Boolean> = caught.asStateFlow()
    val position: StateFlow<Long> = committed.asStateFlow()

    fun requestStop() {
        stopRequested.value = true
    }

    suspend fun run() {
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

    /** Calls the handlers for [event] under the error policy; the failure that stops the processor, or `null`. */
    private suspend fun applyWithPolicy(event: Event): ProjectionFailedException? {
        val policy = projection.errorPolicy
        var wait = policy.initialBackoff
        var attempt = 0
        while (true) {
            attempt++
            try {
                projection.apply(event)
                return null
            } catch (e: CancellationException) {
                throw e
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                listener.handlerFailed(name, event, attempt, e)
                if (attempt < policy.maxAttempts) {
                    delay(wait.toMillis())
                    wait = minOf(wait.multipliedBy(2), policy.maxBackoff)
                    continue
                }
                val sink = policy.deadLetters ?: return ProjectionFailedException(name, event.globalPosition ?: 0L, attempt, e)
                sink.record(DeadLetter(name, event, e, attempt))
                return null
            }
        }
    }

    /** Waits up to [timeout], ended early by a stop request or a wake-up signal after [seen]. */
    private suspend fun waitFor(timeout: Duration, seen: Long?) {
        val signals = options.wakeUp?.signals ?: flowOf(seen)
        withTimeoutOrNull(timeout.toMillis()) {
            combine(signals, stopRequested) { count, stop -> stop || (seen != null && count != seen) }.first { it }
        }
    }

    private suspend fun reportFrontier() {
        if (listener === ProjectionListener.NONE || reader !is GlobalFrontier) return
        val status = reader.frontierStatus()
        if (status.heldBackEvents > 0) listener.frontierHeld(name, status)
    }

    suspend fun awaitPosition(target: Long) {
        var wait = options.idleMinBackoff
        while (true) {
            failure.value?.let { throw it }
            if (committed.value >= target) return
            if ((checkpoints.load(name) ?: 0L) >= target) return
            withTimeoutOrNull(wait.toMillis()) {
                combine(committed, failure) { p, f -> p >= target || f != null }.first { it }
            }
            wait = minOf(wait.multipliedBy(2), options.idleMaxBackoff)
        }
    }

    suspend fun lag(): ProjectionLag {
        val pending = reader.readAll(committed.value, ProjectionProcessor.LAG_COUNT_LIMIT).toList()
        val oldest = pending.firstOrNull()?.timestamp
        val time = oldest?.let { Duration.between(it, options.clock.instant()) }?.takeIf { !it.isNegative } ?: Duration.ZERO
        return ProjectionLag(pending.size, pending.size >= ProjectionProcessor.LAG_COUNT_LIMIT, time)
    }
}
