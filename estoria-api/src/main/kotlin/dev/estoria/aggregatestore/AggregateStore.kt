package dev.estoria.aggregatestore

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.id.TypeId

/**
 * Saves and loads aggregates of one type. The event-sourced store ([EventSourcedAggregateStore]) is
 * the base; layers (snapshotting, caching, hooks) wrap a store and keep this contract.
 *
 * TCK: `AggregateStoreSuite`.
 */
public interface AggregateStore<S> {
    /** The aggregate type this store handles. */
    public val definition: AggregateDefinition<S>

    /**
     * A new aggregate [id] (default: a new id) at version 0 with the initial state. Nothing is stored
     * until [save].
     *
     * @throws dev.estoria.error.InvalidInputException when [id] is not of this aggregate type.
     */
    public fun new(id: TypeId = definition.newId()): Aggregate<S> = definition.create(id)

    /**
     * Loads aggregate [id] at its latest version, or at [toVersion] when given (>= 1).
     *
     * A load never returns a state whose version the stream does not have, nor one built from events that
     * are no longer the stream's (TCK: `AggregateLayersSuite`).
     *
     * @throws dev.estoria.error.AggregateNotFoundException when it has no stream.
     * @throws dev.estoria.error.EventGapException when the stream's versions have a gap (or it was truncated
     *   and no usable snapshot covers the removed versions).
     * @throws dev.estoria.error.InvalidInputException when [toVersion] < 1 or [id] is of another type.
     */
    public suspend fun load(id: TypeId, toVersion: Long? = null): Aggregate<S>

    /**
     * Brings [aggregate] forward to its latest version, or to [toVersion], by applying stored events
     * after its version. The same read checks that the stream still holds the aggregate's event at its version.
     *
     * @throws dev.estoria.error.InvalidInputException when [toVersion] is below the aggregate's version or the
     *   aggregate has unsaved events.
     * @throws dev.estoria.error.StaleAggregateException when the stream has no event at the aggregate's version,
     *   or another one (deleted and re-created): load the aggregate again.
     * @throws dev.estoria.error.EventGapException when the stream's versions have a gap.
     */
    public suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long? = null)

    /**
     * Appends the aggregate's pending events at its version (optimistic concurrency) and marks them
     * saved. A no-op for a stored aggregate with nothing pending.
     *
     * @throws dev.estoria.error.StreamVersionConflictException when another writer saved first; nothing was written.
     * @throws dev.estoria.error.InvalidInputException when a new aggregate (version 0) has no events.
     * @throws dev.estoria.error.EventsAppendedButSaveFailedException when the events were stored but a later
     *   step failed: reload instead of retrying.
     */
    public suspend fun save(aggregate: Aggregate<S>)
}
