package dev.estoria.async

import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.error.InvalidInputException
import dev.estoria.eventstore.GlobalReader
import dev.estoria.forwarding.ForwardHandler
import dev.estoria.forwarding.Forwarder
import dev.estoria.forwarding.ForwarderMetrics
import dev.estoria.forwarding.ForwarderOptions
import dev.estoria.forwarding.HaltedStream
import dev.estoria.id.TypeId
import dev.estoria.java.JavaForwardHandler
import dev.estoria.projection.CheckpointStore
import kotlinx.coroutines.runInterruptible
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor

/**
 * A [Forwarder] for Java callers: [start] it, [stop] it (graceful, a future), list [halted] streams and
 * [release] them; [completion] completes when it ends (exceptionally when it fails). The Java handler runs on
 * the builder's executor (default `Dispatchers.Default`) and may block; [close] cancels without the graceful
 * stop. Thin delegation: the forwarder underneath is the Kotlin one. Tested by `ForwardersFromJavaTest`.
 */
public class AsyncForwarder private constructor(
    /** The forwarder underneath. */
    public val forwarder: Forwarder,
    private val runtime: FacadeRuntime,
) : AutoCloseable {
    @Volatile
    private var running: CompletableFuture<Unit>? = null

    /**
     * Starts the forwarder.
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start(): AsyncForwarder = apply {
        synchronized(this) {
            if (running != null) throw InvalidInputException("forwarder ${forwarder.name} was started already")
            running = runtime.future<Unit> { forwarder.start(this) }
        }
    }

    /** Completes when the forwarder ends: normally after [stop], exceptionally when it fails. */
    public fun completion(): CompletableFuture<Void?> =
        (running ?: throw InvalidInputException("start the forwarder first")).thenApply { null }

    /** Stops after the event in flight; completes when stopped. */
    public fun stop(): CompletableFuture<Void?> = runtime.future { forwarder.stop() }.thenApply { null }

    /** The streams halted now. */
    public fun halted(): List<HaltedStream> = forwarder.halted.value

    /** Resumes the halted stream [streamId] in order; whether it was halted. */
    public fun release(streamId: TypeId): Boolean = forwarder.release(streamId)

    /** The running totals now. */
    public fun metrics(): ForwarderMetrics = forwarder.metrics.value

    /** Events after the checkpoint now (held ones included). */
    public fun lag(): CompletableFuture<Int> = runtime.future { forwarder.lag() }

    /** Cancels the forwarder (no graceful stop: undelivered events are delivered after a restart). */
    override fun close(): Unit = runtime.close()

    /** Builds an [AsyncForwarder]. */
    public class Builder internal constructor(
        private val name: String,
        private val reader: GlobalReader,
        private val checkpoints: CheckpointStore,
        private val handler: JavaForwardHandler,
    ) {
        private var options: ForwarderOptions = ForwarderOptions.DEFAULT
        private var executor: Executor? = null

        /** Sets the options (retries, batch size, wake-up, listener). Default: [ForwarderOptions.DEFAULT]. */
        public fun options(options: ForwarderOptions): Builder = apply { this.options = options }

        /** Runs the forwarder and its handler on [executor]. Default: `Dispatchers.Default`. */
        public fun executor(executor: Executor): Builder = apply { this.executor = executor }

        /** Builds it (not started). */
        public fun build(): AsyncForwarder {
            val runtime = executor?.let { FacadeRuntime.on(it, "AsyncForwarder($name)") } ?: FacadeRuntime.onDefault("AsyncForwarder($name)")
            val blocking = ForwardHandler { envelope -> runInterruptible { handler.deliver(envelope) } }
            return AsyncForwarder(Forwarder(name, reader, checkpoints, blocking, options), runtime)
        }
    }

    /** Factories. */
    public companion object {
        /** A builder of a forwarder named [name] delivering [reader]'s events to [handler]. */
        @JvmStatic
        public fun builder(name: String, reader: GlobalReader, checkpoints: CheckpointStore, handler: JavaForwardHandler): Builder =
            Builder(name, reader, checkpoints, handler)
    }
}
