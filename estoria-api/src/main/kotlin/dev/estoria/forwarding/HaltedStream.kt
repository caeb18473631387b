package dev.estoria.forwarding

import dev.estoria.event.Event
import dev.estoria.id.TypeId

/**
 * A stream the [Forwarder] stopped delivering (its dead-letter state): [event] failed [attempts] times, the
 * last time with [cause]; it and every later event of [streamId] are held (never delivered out of order)
 * until [Forwarder.release]. Other streams go on.
 *
 * TCK: `ForwarderSuite`, "a handler failing for one stream halts that stream only; release resumes it in order".
 */
public class HaltedStream(
    /** The halted stream. */
    public val streamId: TypeId,
    /** The first undelivered event of the stream. */
    public val event: Event,
    /** The last failure of the handler for [event]. */
    public val cause: Throwable,
    /** How many times the handler was called for [event]. */
    public val attempts: Int,
) {
    /** The global position of [event]: the forwarder's checkpoint stays below it while the stream is halted. */
    public val position: Long get() = event.globalPosition ?: 0L

    override fun toString(): String = "HaltedStream($streamId at ${event.streamVersion}, attempts=$attempts, cause=$cause)"
}
