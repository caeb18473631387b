package dev.estoria.forwarding

import dev.estoria.id.TypeId
import dev.estoria.projection.EventEnvelope

/**
 * What a [Forwarder] reports to (for logs and metrics); every method defaults to nothing. Called on the
 * forwarder's coroutine: keep them quick and non-throwing. The running totals are in [Forwarder.metrics].
 */
public interface ForwarderListener {
    /** [envelope] was delivered. */
    public fun delivered(name: String, envelope: EventEnvelope) {}

    /** The handler failed for [envelope] on attempt [attempt]; it is retried after a back-off. */
    public fun retrying(name: String, envelope: EventEnvelope, attempt: Int, cause: Throwable) {}

    /** A stream was halted (retries exhausted). */
    public fun halted(name: String, stream: HaltedStream) {}

    /** A halted stream was released and will be delivered again from its held event. */
    public fun released(name: String, streamId: TypeId) {}

    /** The checkpoint moved to [position]. */
    public fun checkpointed(name: String, position: Long) {}

    /** The listener that ignores everything. */
    public companion object {
        /** Ignores every report. */
        @JvmField
        public val NONE: ForwarderListener = object : ForwarderListener {}
    }
}

/**
 * A [Forwarder]'s running totals since it started.
 *
 * @property delivered events delivered.
 * @property retried failed handler calls that were retried.
 * @property haltedStreams streams halted now.
 * @property checkpoint the saved checkpoint: every event at or below it was delivered.
 */
public data class ForwarderMetrics(
    public val delivered: Long,
    public val retried: Long,
    public val haltedStreams: Int,
    public val checkpoint: Long,
)
