package dev.estoria.jdbc.live

import dev.estoria.error.InvalidInputException
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch

/**
 * The lifecycle shared by the listener and the notifier: started once, in a caller's scope (structured
 * concurrency) or in a scope of its own that [close] ends (for Java and plain applications).
 */
public abstract class BackgroundWorker internal constructor(private val label: String) : AutoCloseable {
    private var job: Job? = null
    private var ownScope: CoroutineScope? = null

    internal abstract suspend fun run()

    /**
     * Launches the worker in [scope] and returns its job; cancelling the scope stops it.
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start(scope: CoroutineScope): Job = synchronized(this) {
        if (job != null) throw InvalidInputException("$label was started already")
        scope.launch(CoroutineName(label)) { run() }.also { job = it }
    }

    /**
     * Launches the worker in a scope of its own (its own supervisor job on [Dispatchers.Default]); [close]
     * stops it.
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start() {
        synchronized(this) {
            val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
            ownScope = scope
            start(scope)
        }
    }

    /** Cancels the worker and waits until it has closed its connection. */
    public suspend fun stop() {
        synchronized(this) { job }?.cancelAndJoin()
        synchronized(this) { ownScope }?.cancel()
    }

    /** Cancels the worker (its connection is closed as it ends) without waiting; idempotent. */
    override fun close() {
        val (j, s) = synchronized(this) { job to ownScope }
        j?.cancel()
        s?.cancel()
    }
}
