package dev.estoria.async

import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.error.InvalidInputException
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionLag
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor

/**
 * A [ProjectionProcessor] for Java callers: [start] it, then [stop] (graceful, a future), wait for [caughtUp]
 * or [awaitPosition]; [completion] completes when it ends (exceptionally when it fails). It runs on
 * `Dispatchers.Default` or the builder's executor; [close] cancels it without the graceful stop.
 * Thin delegation: the processor underneath is the Kotlin one. Tested by `ProjectionsFromJavaTest`.
 */
public class AsyncProjectionProcessor private constructor(
    /** The processor underneath. */
    public val processor: ProjectionProcessor,
    private val runtime: FacadeRuntime,
) : AutoCloseable {
    @Volatile
    private var running: CompletableFuture<Unit>? = null

    /**
     * Starts the processor.
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start(): AsyncProjectionProcessor = apply {
        synchronized(this) {
            if (running != null) throw InvalidInputException("processor of ${processor.projection.checkpointName} was started already")
            // the future completes when the processor's job (its child) does
            running = runtime.future<Unit> { processor.start(this) }
        }
    }

    /** Completes when the processor ends: normally after [stop], exceptionally when it fails. */
    public fun completion(): CompletableFuture<Void?> =
        (running ?: throw InvalidInputException("start the processor first")).thenApply { null }

    /** Stops after the batch in flight and releases the lease; completes when stopped. */
    public fun stop(): CompletableFuture<Void?> = runtime.future { processor.stop() }.thenApply { null }

    /** Completes when the processor has caught up with the log. */
    public fun caughtUp(): CompletableFuture<Void?> = runtime.future { processor.awaitCaughtUp() }.thenApply { null }

    /** Completes once every event at or below [position] is applied (read-your-writes). */
    public fun awaitPosition(position: Long): CompletableFuture<Void?> = runtime.future { processor.awaitPosition(position) }.thenApply { null }

    /** Whether it is caught up now. */
    public fun isCaughtUp(): Boolean = processor.caughtUp.value

    /** The checkpoint it last committed or loaded. */
    public fun position(): Long = processor.position.value

    /** The partitions this instance owns now (see [ProjectionProcessor.ownedPartitions]). */
    public fun ownedPartitions(): Set<Int> = processor.ownedPartitions.value

    /** The lag behind the log now. */
    public fun lag(): CompletableFuture<ProjectionLag> = runtime.future { processor.lag() }

    /** Cancels the processor (no graceful stop: an uncommitted batch is redelivered later). */
    override fun close(): Unit = runtime.close()

    /** Builds an [AsyncProjectionProcessor]. */
    public class Builder internal constructor(
        private val projection: Projection,
        private val reader: GlobalReader,
        private val checkpoints: CheckpointStore,
    ) {
        private var options: ProjectionOptions = ProjectionOptions.DEFAULT
        private var executor: Executor? = null

        /** Sets the options (batch size, leases, listener, …). Default: [ProjectionOptions.DEFAULT]. */
        public fun options(options: ProjectionOptions): Builder = apply { this.options = options }

        /** Runs the processor and its handlers on [executor]. Default: `Dispatchers.Default`. */
        public fun executor(executor: Executor): Builder = apply { this.executor = executor }

        /** Builds it (not started). */
        public fun build(): AsyncProjectionProcessor {
            val name = "AsyncProjectionProcessor(${projection.checkpointName})"
            val runtime = executor?.let { FacadeRuntime.on(it, name) } ?: FacadeRuntime.onDefault(name)
            return AsyncProjectionProcessor(ProjectionProcessor(projection, reader, checkpoints, options), runtime)
        }
    }

    /** Factories. */
    public companion object {
        /** A builder of a processor running [projection] over [reader] and [checkpoints]. */
        @JvmStatic
        public fun builder(projection: Projection, reader: GlobalReader, checkpoints: CheckpointStore): Builder =
            Builder(projection, reader, checkpoints)

        /**
         * Retires [projection] (a version replaced after a rebuild): deletes its checkpoints and, when [leases] is
         * not null, its leases; see [ProjectionProcessor.retire]. Runs on `Dispatchers.Default`.
         */
        @JvmStatic
        public fun retire(projection: Projection, checkpoints: CheckpointStore, leases: LeaseStore?): CompletableFuture<Void?> {
            val runtime = FacadeRuntime.onDefault("retire ${projection.checkpointName}")
            return runtime.future { ProjectionProcessor.retire(projection, checkpoints, leases) }
                .whenComplete { _, _ -> runtime.close() }.thenApply { null }
        }
    }
}
