package dev.estoria.cache.redis.internal

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Job
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledExecutorService
import java.util.concurrent.TimeUnit

/**
 * Client-side command deadlines without a timer per command: calls register a [Watch] (one map
 * insert and removal), and one daemon thread sweeps them every [TICK_MILLIS] ms, cancelling the
 * overdue ones. `withTimeout` would schedule (and often wake) a timer thread per command, which
 * costs a visible share of a sub-millisecond cache hit; this costs precision instead (a deadline
 * fires up to [TICK_MILLIS] ms late). Real time always, whatever the caller's dispatcher.
 */
internal object Deadlines {
    const val TICK_MILLIS: Long = 10

    private val inFlight: MutableSet<Watch> = ConcurrentHashMap.newKeySet()

    private val sweeper: ScheduledExecutorService by lazy {
        Executors.newSingleThreadScheduledExecutor { r ->
            Thread(r, "estoria-redis-deadlines").apply { isDaemon = true }
        }.also { it.scheduleWithFixedDelay(::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS) }
    }

    /** A registered deadline of [job]. */
    class Watch(val deadlineNanos: Long, val job: Job) {
        @Volatile
        var expired: Boolean = false
    }

    fun register(timeoutNanos: Long, job: Job): Watch {
        sweeper // starts the sweeper on first use
        return Watch(System.nanoTime() + timeoutNanos, job).also { inFlight.add(it) }
    }

    fun unregister(watch: Watch) {
        inFlight.remove(watch)
    }

    private fun sweep() {
        if (inFlight.isEmpty()) return
        val now = System.nanoTime()
        for (watch in inFlight) {
            if (now - watch.deadlineNanos >= 0) {
                watch.expired = true
                inFlight.remove(watch)
                watch.job.cancel(CancellationException("deadline exceeded"))
            }
        }
    }
}
