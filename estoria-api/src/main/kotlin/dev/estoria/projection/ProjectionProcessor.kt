package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.internal.Engine
import dev.estoria.projection.internal.PartitionedEngine
import dev.estoria.projection.internal.Partitioning
import dev.estoria.projection.internal.ProcessorEngine
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
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
 * **Partitions** ([Projection.partitions] N > 1): each partition has its own checkpoint
 * ([Projection.partitionName]) and, with leases, its own epoch-fenced lease. Each instance holds a member lease
 * (so that instances count while they own nothing) and takes its fair share, `ceil(N / live instances)`:
 * every acquire interval it releases the partitions above its share and claims free ones, so a joining
 * instance gets its share, a gracefully stopped one hands its partitions over at once and a dead one's
 * partitions are claimed when their leases expire (within `leaseDuration + acquireInterval`). Each instance
 * reads the log once, from the lowest checkpoint it owns, and commits every owned partition's events
 * separately (with a same-transaction committer: one transaction per partition, fenced by that partition's
 * lease). Without leases, one instance owns every partition.
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
    private val engine: Engine =
        if (projection.partitions == 1) ProcessorEngine(projection, reader, checkpoints, options) else PartitionedEngine(projection, reader, checkpoints, options)
    private var job: Job? = null

    /**
     * The partitions this instance owns now (all of them without leases). Always empty for a projection of one
     * partition: its ownership is reported by [ProjectionListener.leaseAcquired] and [ProjectionListener.leaseLost].
     */
    public val ownedPartitions: StateFlow<Set<Int>> get() = (engine as? PartitionedEngine)?.owned ?: NO_PARTITIONS

    /** Whether the last read reached the frontier and everything read is applied and checkpointed. */
    public val caughtUp: StateFlow<Boolean> get() = engine.caughtUp

    /** The checkpoint this instance last committed or loaded (0 before any); partitioned: the lowest it owns. */
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

    /** Constants and the retirement of a projection version. */
    public companion object {
        /** Most events [lag] counts. */
        public const val LAG_COUNT_LIMIT: Int = 1000

        private val NO_PARTITIONS: StateFlow<Set<Int>> = MutableStateFlow(emptySet())

        /**
         * Retires [projection] (a version replaced after a rebuild): deletes its checkpoints (every partition's)
         * from [checkpoints] and, when [leases] is given, its partition and member leases. Stop every processor of
         * that version first: one still running would lose its lease or start again from position 0.
         *
         * TCK: `ProjectionSuite` "a rebuilt version catches up beside the old one and retiring the old one
         * deletes its checkpoints and leases".
         */
        @JvmStatic
        @JvmOverloads
        public suspend fun retire(projection: Projection, checkpoints: CheckpointStore, leases: LeaseStore? = null) {
            for (name in projection.checkpointNames) checkpoints.delete(name)
            if (leases == null) return
            leases.delete(projection.checkpointName)
            for (lease in leases.leases(Partitioning.prefix(projection.checkpointName))) leases.delete(lease.name)
        }
    }
}
