package dev.estoria.projection

/**
 * One handler of a [Projection]: applies a decoded [event] of type [E] with its [envelope] to a read model.
 * It may be called more than once for the same event (delivery is at least once, see `docs/projections.md`),
 * unless the processor runs in a same-transaction mode whose commit rolls back a redelivered batch's writes.
 * Throwing hands the event to the projection's [ErrorPolicy].
 */
public fun interface EventHandler<in E> {
    /** Applies [event]. */
    public suspend fun handle(event: E, envelope: EventEnvelope)
}
