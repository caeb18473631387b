package dev.estoria.cache.memory

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import java.util.concurrent.ConcurrentHashMap

/**
 * A simple in-process cache, for tests and prototypes: unbounded below [maxEntries] (default
 * 10,000), beyond which an arbitrary entry is dropped. Use the Caffeine cache of `estoria-cache`
 * in production.
 */
public class InMemoryAggregateCache<S> @JvmOverloads constructor(private val maxEntries: Int = 10_000) : AggregateCache<S> {
    init {
        if (maxEntries < 1) throw InvalidInputException("maxEntries must be >= 1, was $maxEntries")
    }

    private val entries = ConcurrentHashMap<TypeId, CachedState<S>>()

    override suspend fun get(id: TypeId): CachedState<S>? = entries[id]

    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?) {
        entries.compute(id) { _, old -> if (old != null && old.version >= version) old else CachedState(version, state, lastEventId) }
        while (entries.size > maxEntries) {
            val victim = entries.keys.firstOrNull { it != id } ?: break
            entries.remove(victim)
        }
    }

    override suspend fun invalidate(id: TypeId) {
        entries.remove(id)
    }
}
