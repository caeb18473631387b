package dev.estoria.aggregatestore.caching

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.internal.Log
import dev.estoria.internal.swallowing

/**
 * A layer that starts loads from a cached state and caches the state after loads and saves.
 *
 * - With [refreshOnHit] `true` (default) a hit is brought up to date by reading only the events after
 *   the cached version (one short read), so a load never returns a state older than the store's;
 *   with `false` a hit is returned as cached: faster, but possibly behind writes made elsewhere.
 * - A hit returns a state no older than the cached version, and the cache never goes backwards.
 * - A cache failure (server down, timeout, undecodable entry) is logged and treated as a miss.
 */
public class CachingAggregateStore<S> @JvmOverloads constructor(
    private val inner: AggregateStore<S>,
    private val cache: AggregateCache<S>,
    private val refreshOnHit: Boolean = true,
) : AggregateStore<S> {

    override val definition: AggregateDefinition<S> get() = inner.definition

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> {
        definition.requireOwnId(id)
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
        val cached = swallowing(LOG, "cache get of $id") { cache.get(id) }
        if (cached == null || (toVersion != null && cached.version > toVersion)) {
            return inner.load(id, toVersion).also { if (toVersion == null) remember(it) }
        }
        val aggregate = definition.restore(id, cached.version, cached.state)
        if (refreshOnHit || toVersion != null) {
            try {
                inner.hydrate(aggregate, toVersion)
            } catch (e: AggregateNotFoundException) {
                swallowing(LOG, "cache invalidate of $id") { cache.invalidate(id) }
                throw e
            }
            if (toVersion == null && aggregate.version > cached.version) remember(aggregate)
        }
        return aggregate
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?): Unit = inner.hydrate(aggregate, toVersion)

    override suspend fun save(aggregate: Aggregate<S>) {
        inner.save(aggregate)
        remember(aggregate)
    }

    private suspend fun remember(aggregate: Aggregate<S>) {
        swallowing(LOG, "cache put of ${aggregate.id}") { cache.put(aggregate.id, aggregate.version, aggregate.state) }
    }

    private companion object {
        val LOG = Log.of(CachingAggregateStore::class.java)
    }
}
