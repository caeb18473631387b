package dev.estoria.projection

import dev.estoria.event.Event

/**
 * An event a projection skipped because its handler kept failing ([ErrorPolicy.skipTo]).
 *
 * @property projection the projection's checkpoint name.
 * @property event the failing event, raw.
 * @property cause the handler's last error.
 * @property attempts how many times the handler was called.
 */
public class DeadLetter(
    public val projection: String,
    public val event: Event,
    public val cause: Throwable,
    public val attempts: Int,
) {
    override fun toString(): String = "DeadLetter($projection, ${event.streamId}@${event.streamVersion}, attempts=$attempts, cause=$cause)"
}

/**
 * Receives the [DeadLetter]s of a projection. A sink that throws makes the processor fail (the event
 * is not checkpointed), so a skipped event is never lost silently. TCK: `ProjectionSuite`.
 */
public fun interface DeadLetterSink {
    /** Records [letter]. */
    public suspend fun record(letter: DeadLetter)
}
