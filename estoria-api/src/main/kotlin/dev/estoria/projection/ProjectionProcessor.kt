package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.internal.ProcessorEngine
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch

/**
 * Runs a [Projection] over a [GlobalReader] and a [CheckpointStore]: reads batches after the checkpoint,
 * applies them through the handlers, checkpoints after each batch, and tails the log (polling with back-off
 * when idle, woken at once by an [AppendSignal]). Delivery is at least once; with a same-transaction
 * [BatchCommitter] effectively once. With [ProjectionOptions.leases], one instance per projection is active
 * across JVMs and its checkpoint writes are fenced by the lease's epoch.
 *
 * Structured concurrency: [start] launches it in the caller's scope; cancelling that scope cancels it (an
 * uncommitted batch is redelivered later); [stop] finishes the batch in flight, releases the lease and returns.
 *
 * TCK: `ProjectionSuite` (in-memory, SQLite, PostgreSQL).
 */
public class ProjectionProcessor @JvmOverloads constructor(
    /** The projection it runs. */
    public val projection: Projection,
    private val reader: GlobalReader,
    private val checkpoints: CheckpointStore,
    /** Its options. */
    public val options: ProjectionOptions = ProjectionOptions.DEFAULT,
) {
    private val engine = ProcessorEngine(projection, reader, checkpoints, options)
    private var job: Job? = null

    /** Whether the last read reached the frontier and everything read is applied and checkpointed. */
    public val caughtUp: StateFlow<Boolean> get() = engine.caughtUp

    /** The checkpoint this instance last committed or loaded (0 before any). */
    public val position: StateFlow<Long> get() = engine.position

    /**
     * Launches the processor in [scope] and returns its job (it fails with [ProjectionFailedException] when
     * the error policy stops, or with a store's error).
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start(scope: CoroutineScope): Job = synchronized(this) {
        if (job != null) throw InvalidInputException("processor of ${projection.checkpointName} was started already")
        scope.launch(CoroutineName("projection ${projection.checkpointName}")) { engine.run() }.also { job = it }
    }

    /** Asks the processor to stop after the batch in flight, then waits until it has (lease released). */
    public suspend fun stop() {
        engine.requestStop()
        job?.join()
    }

    /**
     * Suspends until this projection has applied every event at or below [position] (read-your-writes: pass
     * the global position an append returned). Sound because the global order is a stable prefix. Also
     * satisfied by another instance's checkpoint (polled with the idle back-off).
     *
     * @throws ProjectionFailedException (or the store's error) when the processor fails first.
     */
    public suspend fun awaitPosition(position: Long): Unit = engine.awaitPosition(position)

    /** Suspends until [caughtUp] is true. */
    public suspend fun awaitCaughtUp() {
        caughtUp.first { it }
    }

    /** The lag behind the reader's frontier now (one bounded read). */
    public suspend fun lag(): ProjectionLag = engine.lag()

    override fun toString(): String = "ProjectionProcessor(${projection.checkpointName}, $options)"

    /** Constants. */
    public companion object {
        /** Most events [lag] counts. */
        public const val LAG_COUNT_LIMIT: Int = 1000
    }
}
