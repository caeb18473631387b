package dev.estoria.projection.internal

import dev.estoria.error.ProjectionFailedException
import dev.estoria.event.Event
import dev.estoria.eventstore.GlobalFrontier
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.DeadLetter
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionLag
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Duration

/** What a processor engine offers [ProjectionProcessor]: one engine per projection shape (one partition or several). */
internal interface Engine {
    val caughtUp: StateFlow<Boolean>
    val position: StateFlow<Long>

    fun requestStop()

    suspend fun run()

    suspend fun awaitPosition(target: Long)

    suspend fun lag(): ProjectionLag
}

/** Calls the handlers for [event] under the error policy; the failure that stops the processor, or `null`. */
internal suspend fun applyWithPolicy(projection: Projection, listener: ProjectionListener, name: String, event: Event): ProjectionFailedException? {
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

/** Waits up to [timeout], ended early by [stop] turning true or a wake-up signal after [seen]. */
internal suspend fun idleWait(options: ProjectionOptions, stop: StateFlow<Boolean>, timeout: Duration, seen: Long?) {
    val signals = options.wakeUp?.signals ?: flowOf(seen)
    withTimeoutOrNull(timeout.toMillis()) {
        combine(signals, stop) { count, stopped -> stopped || (seen != null && count != seen) }.first { it }
    }
}

/** Reports a held-back frontier to [listener] (only readers that expose one). */
internal suspend fun reportFrontier(reader: GlobalReader, listener: ProjectionListener, name: String) {
    if (listener === ProjectionListener.NONE || reader !is GlobalFrontier) return
    val status = reader.frontierStatus()
    if (status.heldBackEvents > 0) listener.frontierHeld(name, status)
}

/** The lag after [from] (one bounded read). */
internal suspend fun lagAfter(reader: GlobalReader, options: ProjectionOptions, from: Long): ProjectionLag {
    val pending = reader.readAll(from, ProjectionProcessor.LAG_COUNT_LIMIT).toList()
    val oldest = pending.firstOrNull()?.timestamp
    val time = oldest?.let { Duration.between(it, options.clock.instant()) }?.takeIf { !it.isNegative } ?: Duration.ZERO
    return ProjectionLag(pending.size, pending.size >= ProjectionProcessor.LAG_COUNT_LIMIT, time)
}

/**
 * Suspends until [reached] (checked again on every change of [progress], and at least every idle back-off),
 * failing with the processor's [failure] when it fails first.
 */
internal suspend fun awaitReached(options: ProjectionOptions, failure: StateFlow<Throwable?>, progress: StateFlow<Long>, reached: suspend () -> Boolean) {
    var wait = options.idleMinBackoff
    while (true) {
        failure.value?.let { throw it }
        val before = progress.value
        if (reached()) return
        withTimeoutOrNull(wait.toMillis()) {
            combine(progress, failure) { p, f -> p != before || f != null }.first { it }
        }
        wait = minOf(wait.multipliedBy(2), options.idleMaxBackoff)
    }
}
