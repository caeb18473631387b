package dev.estoria.forwarding

import dev.estoria.error.InvalidInputException
import dev.estoria.eventstore.GlobalReader
import dev.estoria.forwarding.internal.ForwarderEngine
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch

/**
 * Delivers the events of a [GlobalReader] to an external system through a [ForwardHandler] (the outbox
 * pattern, with the log itself as the outbox): in global order, so **per stream in version order (FIFO)**;
 * a failing call is retried with back-off ([ForwarderOptions.maxAttempts]); when retries are exhausted only
 * that event's stream is **halted** ([halted]): it and its later events are held, never delivered out of
 * order, while every other stream goes on. [release] resumes a halted stream from its held event, in order.
 *
 * The checkpoint ([CheckpointStore], under [name]) is the position below which everything was delivered; a
 * halted stream holds it below its held event. Delivery is **at least once**: after a restart the events
 * above the checkpoint are delivered again (those of other streams delivered while a stream was halted
 * too). The halted state lives in memory: after a restart the held event is tried again (with its retries)
 * and its stream halts again if it still fails; nothing is skipped.
 *
 * Structured concurrency like `ProjectionProcessor`: [start] launches it in the caller's scope; cancelling
 * that scope cancels it; [stop] ends it after the event in flight (its checkpoint saved).
 *
 * TCK: `ForwarderSuite` (in-memory, SQLite, PostgreSQL).
 */
public class Forwarder @JvmOverloads constructor(
    /** The forwarder's name: the key of its checkpoint. */
    public val name: String,
    reader: GlobalReader,
    checkpoints: CheckpointStore,
    handler: ForwardHandler,
    /** Its options. */
    public val options: ForwarderOptions = ForwarderOptions.DEFAULT,
) {
    init {
        if (name.isBlank()) throw InvalidInputException("forwarder name must not be blank")
    }

    private val engine = ForwarderEngine(name, reader, checkpoints, handler, options)
    private var job: Job? = null

    /** The streams halted now, in the order they halted. */
    public val halted: StateFlow<List<HaltedStream>> get() = engine.halted

    /** Running totals: delivered, retried, halted streams, checkpoint. */
    public val metrics: StateFlow<ForwarderMetrics> get() = engine.metrics

    /** Whether the last read found nothing new (everything readable is delivered or held). */
    public val caughtUp: StateFlow<Boolean> get() = engine.caughtUp

    /**
     * Launches the forwarder in [scope] and returns its job (it fails with the store's error when the reader
     * or the checkpoint store fails).
     *
     * @throws InvalidInputException when it was started before.
     */
    public fun start(scope: CoroutineScope): Job = synchronized(this) {
        if (job != null) throw InvalidInputException("forwarder $name was started already")
        scope.launch(CoroutineName("forwarder $name")) { engine.run() }.also { job = it }
    }

    /** Asks the forwarder to stop after the event in flight (ending a retry wait), then waits until it has. */
    public suspend fun stop() {
        engine.requestStop()
        synchronized(this) { job }?.join()
    }

    /**
     * Resumes the halted stream [streamId]: its held event and the later ones are delivered next, in order.
     * Returns whether the stream was halted.
     */
    public fun release(streamId: TypeId): Boolean = engine.release(streamId)

    /** Events after the checkpoint now, held ones included, counted up to [LAG_COUNT_LIMIT] (one bounded read). */
    public suspend fun lag(): Int = engine.lag()

    override fun toString(): String = "Forwarder($name, $options)"

    /** Constants. */
    public companion object {
        /** Most events [lag] counts. */
        public const val LAG_COUNT_LIMIT: Int = 1000
    }
}
