package dev.estoria.jdbc.internal

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn

/**
 * Runs blocking [work] on [dispatcher] and returns its result to the calling coroutine; [work] receives the
 * job whose cancellation must stop it (see [cancellingOnCancel]). Same semantics as
 * `withContext(dispatcher) { work(job) }`: the caller suspends until [work] ends, a caller cancelled
 * meanwhile gets a `CancellationException` even if [work] succeeded (prompt cancellation), and the caller's
 * thread-context elements (MDC, tracing, kotlinx's debug names) are in place while [work] runs.
 *
 * The one difference is a hand-over for the common case, a caller on `Dispatchers.Default` and a store on
 * `Dispatchers.IO`: [work] is dispatched to IO as usual, but the caller is then resumed right there, on the
 * IO thread that ran [work], instead of being dispatched back to a Default thread; and the calls it makes there
 * before it next suspends (the next append of a loop, the next read of a handler) run in place on that IO
 * thread, without any dispatch, as they would for a caller on `Dispatchers.IO`. That saves one scheduler
 * round (a task queued, a thread woken or stolen from) per call: `withContext` costs a dispatch there and one
 * back, the hand-over only the dispatch there, and the calls in place none (measured against the bench's
 * `io-hop` variant, the old path: sequential appends 1.3–2.4× and one reader of small streams 2.1–2.7× the
 * throughput, client CPU per sequential append down to raw JDBC's; `docs/benchmarks.md`). The caller runs on
 * until its next suspension on that thread, the way a coroutine on `Dispatchers.Unconfined` would; its next
 * dispatch (a `delay`, a `yield`, a channel) goes through `Dispatchers.Default` again, since its context is
 * untouched. Every other pairing (a store on its own executor, a caller on IO already, on `Unconfined`, on a
 * single-thread dispatcher such as an event loop or a UI thread) goes through `withContext`, so a caller
 * confined to a thread stays on it.
 */
internal suspend fun <T> blockingCall(dispatcher: CoroutineDispatcher, work: (Job?) -> T): T {
    val context = currentCoroutineContext()
    if (dispatcher !== Dispatchers.IO || context[ContinuationInterceptor] !== Dispatchers.Default) {
        return withContext(dispatcher) { work(coroutineContext.job) }
    }
    context.ensureActive()
    val job = context[Job]
    if (handedOver.get() == true) {
        // still inside the IO task that ran this caller's previous call: this thread may block, as in place
        val value = work(job)
        job?.ensureActive()
        return value
    }
    return suspendCoroutineUninterceptedOrReturn { caller ->
        Dispatchers.IO.dispatch(context, Runnable {
            inThreadContext(context) {
                val outcome = runCatching { work(job) }.mapCatching { value -> job?.ensureActive(); value }
                val outer = handedOver.get()
                handedOver.set(true)
                try {
                    caller.resumeWith(outcome)
                } finally {
                    handedOver.set(outer)
                }
            }
        })
        COROUTINE_SUSPENDED
    }
}

/**
 * `true` on a thread while it runs a handed-over caller inside the IO task of [blockingCall]: a call the caller
 * makes before it next suspends runs right there, without a dispatch, as a caller on `Dispatchers.IO` would.
 */
private val handedOver = ThreadLocal<Boolean?>()

/** Runs [block] with [context]'s thread-context elements installed on this thread, restoring them after. */
private inline fun inThreadContext(context: CoroutineContext, block: () -> Unit) {
    val elements = context.fold(ArrayList<ThreadContextElement<Any?>>(0)) { found, element ->
        @Suppress("UNCHECKED_CAST")
        if (element is ThreadContextElement<*>) found.add(element as ThreadContextElement<Any?>)
        found
    }
    if (elements.isEmpty()) return block()
    val previous = elements.map { it.updateThreadContext(context) }
    try {
        block()
    } finally {
        for (i in elements.indices.reversed()) elements[i].restoreThreadContext(context, previous[i])
    }
}
