@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.aggregatestore.caching

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StaleAggregateException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.id.TypeId
import dev.estoria.internal.Log
import dev.estoria.internal.swallowing

/**
 * A layer that starts loads from a cached state and caches the state after loads and saves.
 *
 * - With [refreshOnHit] `true` (default) a hit at version N is brought up to date by one short read
 *   from N, which also checks the entry: the stream's event N must be the entry's
 *   [CachedState.lastEventId]. So a load never returns a state older than the store's, nor one the
 *   stream does not have. An entry the stream does not confirm — ahead of the stream, from before the
 *   stream was deleted and re-created, its event truncated away, or written without a last event id by
 *   an older release — is invalidated, the aggregate is loaded through [inner], and the cache holds
 *   the loaded state instead.
 * - With `false` a hit is returned as cached, without any read: faster, but possibly behind writes made
 *   elsewhere, and unchecked (a deleted stream's state may be served until the entry is dropped). A save
 *   refused with [StreamVersionConflictException] drops the entry in both modes, so a retried command
 *   (`update`) loads from the stream.
 * - A hit returns a state no older than the cached version, and the cache never goes backwards.
 * - A cache failure (server down, timeout, undecodable entry) is logged and treated as a miss; so is a
 *   failure of the state codec (its `Error`s included; a [VirtualMachineError] propagates).
 *
 * TCK: `AggregateLayersSuite`.
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
        val cached = hit(id)
        if (cached == null || (toVersion != null && cached.version > toVersion)) return loadThrough(id, toVersion)
        val aggregate = definition.restore(id, cached.version, cached.state, cached.lastEventId)
        if (refreshOnHit || toVersion != null) {
            try {
                inner.hydrate(aggregate, toVersion)
            } catch (e: AggregateNotFoundException) {
                invalidate(id)
                throw e
            } catch (e: StaleAggregateException) {
                LOG.log(System.Logger.Level.INFO, "discarding the cache entry of $id: ${e.message}")
                invalidate(id)
                return loadThrough(id, toVersion)
            }
            if (toVersion == null && aggregate.version > cached.version) remember(aggregate)
        }
        return aggregate
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?): Unit = inner.hydrate(aggregate, toVersion)

    override suspend fun save(aggregate: Aggregate<S>) {
        try {
            inner.save(aggregate)
        } catch (e: StreamVersionConflictException) {
            invalidate(aggregate.id)
            throw e
        }
        remember(aggregate)
    }

    /** The cached entry, or `null`; an entry without a last event id cannot be checked and is dropped. */
    private suspend fun hit(id: TypeId): CachedState<S>? {
        val cached = swallowing(LOG, "cache get of $id") { cache.get(id) } ?: return null
        if (cached.lastEventId != null) return cached
        invalidate(id)
        return null
    }

    private suspend fun loadThrough(id: TypeId, toVersion: Long?): Aggregate<S> =
        inner.load(id, toVersion).also { if (toVersion == null) remember(it) }

    private suspend fun invalidate(id: TypeId) {
        swallowing(LOG, "cache invalidate of $id") { cache.invalidate(id) }
    }

    private suspend fun remember(aggregate: Aggregate<S>) {
        swallowing(LOG, "cache put of ${aggregate.id}") {
            cache.put(aggregate.id, aggregate.version, aggregate.state, aggregate.lastEventId)
        }
    }

    private companion object {
        val LOG = Log.of(CachingAggregateStore::class.java)
    }
}
