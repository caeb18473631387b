package dev.estoria.cache

import dev.estoria.id.TypeId

/**
 * Caches aggregate states by id, with their version.
 *
 * Contract (TCK: `AggregateCacheSuite`): a put never replaces a newer version with an older one, so
 * the cache never goes backwards; [get] returns the newest state put (unless evicted or expired).
 * Failures may be thrown; the caching layer logs them and treats them as misses. An entry the stream
 * does not confirm (its version or last event id) is invalidated by the layer and replaced.
 */
public interface AggregateCache<S> {
    /** The cached state of [id], or `null` on a miss. */
    public suspend fun get(id: TypeId): CachedState<S>?

    /**
     * Caches [state] at [version] for [id], with [lastEventId] (the id of the aggregate's event at
     * [version]; default `null`: unknown), unless a version >= [version] is cached already. The entry
     * returned by [get] carries the same id.
     */
    public suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId? = null)

    /** Drops [id] from the cache. */
    public suspend fun invalidate(id: TypeId)
}
