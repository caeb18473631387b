package dev.estoria.async.internal

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.future
import kotlinx.coroutines.jdk9.asPublisher
import kotlinx.coroutines.job
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Flow.Publisher
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/**
 * The coroutine side of one facade: a [SupervisorJob] (child of the caller's scope when there is one)
 * on a dispatcher, turning suspend calls into futures and flows into publishers. [close] cancels every
 * operation still running and refuses new ones; it never shuts down the caller's executor.
 */
internal class FacadeRuntime private constructor(parent: CoroutineContext, private val name: String) : AutoCloseable {
    private val job: Job = SupervisorJob(parent[Job])
    private val dispatch: CoroutineContext = parent.minusKey(Job) + CoroutineName(name)
    private val scope: CoroutineScope = CoroutineScope(dispatch + job)

    @Volatile
    private var closed = false

    /** Whether [close] was called (or the parent scope was cancelled). */
    val isClosed: Boolean get() = closed || !job.isActive

    /** Runs [block] as a coroutine of this facade with [context] added; cancelling the future cancels the coroutine. */
    fun <T> future(context: CoroutineContext = EmptyCoroutineContext, block: suspend CoroutineScope.() -> T): CompletableFuture<T> {
        if (isClosed) return CompletableFuture.failedFuture(closedException())
        return scope.future(context, block = block)
    }

    /**
     * A cold publisher of [flow]: each subscription collects the flow afresh on this facade's dispatcher;
     * cancelling the subscription cancels the collection, and so does closing the facade.
     */
    fun <T : Any> publisher(flow: Flow<T>): Publisher<T> =
        flow {
            if (isClosed) throw closedException()
            val collector = currentCoroutineContext().job
            val link = job.invokeOnCompletion { collector.cancel(CancellationException("$name was closed")) }
            try {
                emitAll(flow)
            } finally {
                link.dispose()
            }
        }.asPublisher(dispatch)

    override fun close() {
        closed = true
        job.cancel(CancellationException("$name was closed"))
    }

    private fun closedException() = IllegalStateException("$name is closed")

    companion object {
        /** On [Dispatchers.Default], the default of every facade. */
        fun onDefault(name: String): FacadeRuntime = FacadeRuntime(Dispatchers.Default, name)

        /** On [executor]; the executor is the caller's and is never shut down by the facade. */
        fun on(executor: Executor, name: String): FacadeRuntime = FacadeRuntime(executor.asCoroutineDispatcher(), name)

        /** As a child of [scope]: cancelling the scope closes the facade, closing the facade leaves the scope alone. */
        fun childOf(scope: CoroutineScope, name: String): FacadeRuntime = FacadeRuntime(scope.coroutineContext, name)
    }
}
