package dev.estoria.cache

import dev.estoria.id.TypeId

/**
 * Caches aggregate states by id, with their version.
 *
 * Contract (TCK: `AggregateCacheSuite`): a put never replaces a newer version with an older one, so
 * the cache never goes backwards; [get] returns the newest state put (unless evicted or expired).
 * Failures may be thrown; the caching layer logs them and treats them as misses.
 */
public interface AggregateCache<S> {
    /** The cached state of [id], or `null` on a miss. */
    public suspend fun get(id: TypeId): CachedState<S>?

    /** Caches [state] at [version] for [id] unless a version >= [version] is cached already. */
    public suspend fun put(id: TypeId, version: Long, state: S)

    /** Drops [id] from the cache. */
    public suspend fun invalidate(id: TypeId)
}
