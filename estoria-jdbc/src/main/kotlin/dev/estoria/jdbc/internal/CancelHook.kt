package dev.estoria.jdbc.internal

import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlin.coroutines.cancellation.CancellationException

/**
 * Runs [block] (blocking JDBC work on the calling thread) and calls [onCancel] the moment [job] (the
 * calling coroutine's, handed over by [blockingCall]; `null`: nothing to watch) starts cancelling, on the
 * cancelling thread, while [block] may still be blocked in the driver: that is how a cancelled caller stops
 * a running statement (`Statement.cancel`) instead of waiting for it.
 *
 * This is the one place that needs kotlinx's `invokeOnCompletion(onCancelling = true)`, an
 * `InternalCoroutinesApi`. The public alternatives were tried against the cancellation tests and do not
 * pass them: `Job.invokeOnCompletion(handler)` runs only once the job has completed, i.e. after [block]
 * returned, too late to cancel anything; a watcher child coroutine (`awaitCancellation` in a `finally`)
 * needs a second thread of the store's dispatcher to run while [block] holds the first, so on a
 * single-thread executor (`JdbcStoreOptions.Builder.executor`) a blocked statement would never be cancelled.
 */
@OptIn(InternalCoroutinesApi::class)
internal inline fun <T> cancellingOnCancel(job: Job?, crossinline onCancel: () -> Unit, block: () -> T): T {
    val handle = job?.invokeOnCompletion(onCancelling = true, invokeImmediately = true) { cause ->
        if (cause is CancellationException) onCancel()
    }
    try {
        return block()
    } finally {
        handle?.dispose()
    }
}
