package dev.estoria.aggregatestore

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.takeWhile

/**
 * The base aggregate store: an aggregate is the stream of its events in [eventStore]; loading
 * replays them through the definition's evolve functions, saving appends the pending ones at the
 * aggregate's version.
 *
 * @property definition the aggregate type this store loads and saves.
 */
public class EventSourcedAggregateStore<S>(
    private val eventStore: EventStore,
    override val definition: AggregateDefinition<S>,
) : AggregateStore<S> {

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> {
        definition.requireOwnId(id)
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
        val aggregate = definition.create(id)
        try {
            replay(aggregate, toVersion)
        } catch (e: StreamNotFoundException) {
            throw AggregateNotFoundException(id, e)
        }
        if (aggregate.version == 0L) throw AggregateNotFoundException(id)
        return aggregate
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?) {
        checkHydrate(aggregate, toVersion)
        if (toVersion == aggregate.version) return
        try {
            replay(aggregate, toVersion)
        } catch (e: StreamNotFoundException) {
            if (aggregate.version > 0) throw AggregateNotFoundException(aggregate.id, e)
        }
    }

    override suspend fun save(aggregate: Aggregate<S>) {
        checkSave(aggregate)
        if (!aggregate.hasPendingEvents) return
        val result = eventStore.appendStream(
            aggregate.id,
            aggregate.toWritableEvents(),
            ExpectedVersion.Exact(aggregate.version),
        )
        aggregate.markSaved(result.nextExpectedVersion)
    }

    private suspend fun replay(aggregate: Aggregate<S>, toVersion: Long?) {
        val limit = toVersion?.let { (it - aggregate.version).coerceAtMost(Int.MAX_VALUE.toLong()).toInt() }
        val events = eventStore.readStream(aggregate.id, ReadOptions(fromVersion = aggregate.version + 1, maxCount = limit))
        // A truncated stream starts later than asked, so the count alone may overshoot toVersion.
        val bounded = if (toVersion == null) events else events.takeWhile { it.streamVersion <= toVersion }
        bounded.collect { aggregate.applyStored(it) }
    }
}

/** Validation shared by every store's `hydrate`. */
internal fun <S> AggregateStore<S>.checkHydrate(aggregate: Aggregate<S>, toVersion: Long?) {
    definition.requireOwnId(aggregate.id)
    if (aggregate.hasPendingEvents) throw InvalidInputException("cannot hydrate aggregate ${aggregate.id}: it has unsaved events")
    if (toVersion != null && toVersion < aggregate.version) {
        throw InvalidInputException("toVersion $toVersion is below aggregate ${aggregate.id}'s version ${aggregate.version}")
    }
}

/** Validation shared by every store's `save`. */
internal fun <S> AggregateStore<S>.checkSave(aggregate: Aggregate<S>) {
    definition.requireOwnId(aggregate.id)
    if (aggregate.version == 0L && !aggregate.hasPendingEvents) {
        throw InvalidInputException("cannot save new aggregate ${aggregate.id}: it has no events")
    }
}
