@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.aggregatestore

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StaleAggregateException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId

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
        if (aggregate.version == 0L && toVersion == 0L) return
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

    /**
     * One read: from version 1 for a new aggregate, else from the aggregate's own version N, whose event
     * must be the aggregate's last one (checked, not applied); every later event must be the next version.
     */
    private suspend fun replay(aggregate: Aggregate<S>, toVersion: Long?) {
        val anchor = aggregate.version
        val from = if (anchor == 0L) 1L else anchor
        val limit = toVersion?.let { (it - from + 1).coerceAtMost(Int.MAX_VALUE.toLong()).toInt() }
        var anchorSeen = anchor == 0L
        eventStore.readStream(aggregate.id, ReadOptions(fromVersion = from, maxCount = limit)).collect { event ->
            if (anchorSeen) {
                aggregate.applyStored(event)
            } else {
                checkAnchor(aggregate, event)
                anchorSeen = true
            }
        }
        if (!anchorSeen) throw StaleAggregateException(aggregate.id, anchor, "the stream has no event at version $anchor")
    }

    private fun checkAnchor(aggregate: Aggregate<S>, event: Event) {
        val version = aggregate.version
        if (event.streamVersion != version) {
            throw StaleAggregateException(
                aggregate.id,
                version,
                "the stream's event at version $version is gone (it starts at ${event.streamVersion}: truncated)",
            )
        }
        val known = aggregate.lastEventId
        if (known != null && known != event.id) {
            throw StaleAggregateException(
                aggregate.id,
                version,
                "its event $version was ${known}, the stream holds ${event.id} (deleted and re-created)",
            )
        }
        aggregate.lastEventId = event.id
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
