package dev.estoria.error

/**
 * A projection's handler failed on the event at [position] and the projection's error policy said stop
 * (or a bounded retry gave up). Every event before it is applied and checkpointed; [cause] is the handler's error.
 *
 * TCK: `ProjectionSuite`, "the stop policy checkpoints the events before a failing one and fails the processor".
 *
 * @property projection the projection's checkpoint name (`name.vN`).
 * @property position the global position of the failing event.
 * @property attempts how many times the handler was called for it.
 */
public class ProjectionFailedException(
    public val projection: String,
    public val position: Long,
    public val attempts: Int,
    cause: Throwable,
) : EstoriaException("projection '$projection' failed at position $position after $attempts attempt(s): $cause", cause)
