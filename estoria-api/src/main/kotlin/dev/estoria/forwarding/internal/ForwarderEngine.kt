package dev.estoria.forwarding.internal

import dev.estoria.event.Event
import dev.estoria.eventstore.GlobalReader
import dev.estoria.forwarding.ForwardHandler
import dev.estoria.forwarding.Forwarder
import dev.estoria.forwarding.ForwarderMetrics
import dev.estoria.forwarding.ForwarderOptions
import dev.estoria.forwarding.HaltedStream
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.EventEnvelope
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * The forwarder's loop. Reads from a cursor; the checkpoint (watermark) is the cursor, or just below the
 * lowest held event while streams are halted. Events of other streams delivered above the watermark are
 * remembered per stream (last version) so that a re-read after a release skips them; entries at or below
 * the watermark are dropped, so the memory is bounded by the streams written while a stream is halted.
 */
internal class ForwarderEngine(
    private val name: String,
    private val reader: GlobalReader,
    private val checkpoints: CheckpointStore,
    private val handler: ForwardHandler,
    private val options: ForwarderOptions,
) {
    private val listener = options.listener
    private val stopRequested = MutableStateFlow(false)
    private val releases = ConcurrentLinkedQueue<TypeId>()
    private val releaseCount = MutableStateFlow(0L)
    private val haltedStreams = MutableStateFlow<List<HaltedStream>>(emptyList())
    private val totals = MutableStateFlow(ForwarderMetrics(0, 0, 0, 0))
    private val caught = MutableStateFlow(false)

    /** Stream → (last delivered version, its position), for deliveries above the watermark. */
    private val delivered = HashMap<TypeId, Pair<Long, Long>>()
    @Volatile
    private var watermark = 0L

    val halted: StateFlow<List<HaltedStream>> = haltedStreams.asStateFlow()
    val metrics: StateFlow<ForwarderMetrics> = totals.asStateFlow()
    val caughtUp: StateFlow<Boolean> = caught.asStateFlow()

    fun requestStop() {
        stopRequested.value = true
    }

    fun release(streamId: TypeId): Boolean {
        if (haltedStreams.value.none { it.streamId == streamId }) return false
        releases += streamId
        releaseCount.update { it + 1 }
        return true
    }

    suspend fun run() {
        watermark = checkpoints.load(name) ?: 0L
        totals.update { it.copy(checkpoint = watermark) }
        var cursor = watermark
        var idle = options.idleMinBackoff
        while (!stopRequested.value) {
            if (applyReleases()) cursor = watermark
            val seen = options.wakeUp?.signals?.value
            val releasesSeen = releaseCount.value
            val batch = reader.readAll(cursor, options.batchSize).toList()
            if (batch.isEmpty()) {
                caught.value = true
                waitFor(idle, seen, releasesSeen)
                idle = minOf(idle.multipliedBy(2), options.idleMaxBackoff)
                continue
            }
            idle = options.idleMinBackoff
            caught.value = false
            for (event in batch) {
                if (!forward(event)) break
                cursor = event.globalPosition ?: cursor
            }
            advance(cursor)
        }
    }

    /** Delivers, holds or skips [event]; false when a stop interrupted its retries (it stays undelivered). */
    private suspend fun forward(event: Event): Boolean {
        val stream = event.streamId
        if (haltedStreams.value.any { it.streamId == stream }) return true
        val last = delivered[stream]
        if (last != null && last.first >= event.streamVersion) return true
        val envelope = EventEnvelope(event)
        var wait = options.retryMinBackoff
        var attempt = 0
        while (true) {
            attempt++
            val failure = try {
                handler.deliver(envelope)
                null
            } catch (e: CancellationException) {
                throw e
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                e
            }
            if (failure == null) {
                delivered[stream] = event.streamVersion to (event.globalPosition ?: 0L)
                totals.update { it.copy(delivered = it.delivered + 1) }
                listener.delivered(name, envelope)
                return true
            }
            if (attempt >= options.maxAttempts) {
                val halt = HaltedStream(stream, event, failure, attempt)
                haltedStreams.update { it + halt }
                totals.update { it.copy(haltedStreams = haltedStreams.value.size) }
                listener.halted(name, halt)
                return true
            }
            totals.update { it.copy(retried = it.retried + 1) }
            listener.retrying(name, envelope, attempt, failure)
            if (waitFor(wait, null, null)) return false
            wait = minOf(wait.multipliedBy(2), options.retryMaxBackoff)
        }
    }

    /** Un-halts the released streams; true when any was (the cursor goes back to the watermark). */
    private fun applyReleases(): Boolean {
        var any = false
        while (true) {
            val stream = releases.poll() ?: break
            val before = haltedStreams.value
            val after = before.filter { it.streamId != stream }
            if (after.size == before.size) continue
            haltedStreams.value = after
            totals.update { it.copy(haltedStreams = after.size) }
            listener.released(name, stream)
            any = true
        }
        return any
    }

    /** Saves the new watermark: the cursor, or just below the lowest held event. */
    private suspend fun advance(cursor: Long) {
        val lowestHeld = haltedStreams.value.minOfOrNull { it.position }
        val next = if (lowestHeld == null) cursor else minOf(cursor, lowestHeld - 1)
        if (next <= watermark) return
        checkpoints.save(name, next)
        watermark = next
        delivered.values.removeIf { it.second <= next }
        totals.update { it.copy(checkpoint = next) }
        listener.checkpointed(name, next)
    }

    /** Waits up to [timeout], ended by a stop, a wake-up after [seen] or a release after [releasesSeen]; true on stop. */
    private suspend fun waitFor(timeout: Duration, seen: Long?, releasesSeen: Long?): Boolean {
        val signals = options.wakeUp?.signals ?: flowOf(seen)
        withTimeoutOrNull(timeout.toMillis()) {
            combine(signals, stopRequested, releaseCount) { count, stop, released ->
                stop || (seen != null && count != seen) || (releasesSeen != null && released != releasesSeen)
            }.first { it }
        }
        return stopRequested.value
    }

    suspend fun lag(): Int = reader.readAll(watermark, Forwarder.LAG_COUNT_LIMIT).toList().size
}
