package dev.estoria.cache.caffeine

import com.github.benmanes.caffeine.cache.Cache
import com.github.benmanes.caffeine.cache.Caffeine
import com.github.benmanes.caffeine.cache.Ticker
import com.github.benmanes.caffeine.cache.stats.CacheStats
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import java.time.Duration
import java.util.concurrent.Executor

/**
 * An in-process [AggregateCache] on Caffeine: states are kept as objects (no encoding), bounded by
 * entry count or by weight, optionally expiring, with hit/miss/eviction statistics.
 *
 * Guarantees (TCK: `AggregateCacheSuite`): a [put] never replaces a cached version with an older or
 * equal one — the check and the write are one atomic step per key, so concurrent writers can never
 * leave the older version cached. States must be immutable (they are shared, not copied).
 *
 * Build one with [builder]:
 * ```kotlin
 * val cache = CaffeineAggregateCache.builder<AccountState>()
 *     .maximumSize(50_000)
 *     .expireAfterWrite(Duration.ofMinutes(10))
 *     .build()
 * ```
 */
public class CaffeineAggregateCache<S> private constructor(builder: Builder<S>) : AggregateCache<S> {
    private val cache: Cache<TypeId, CachedState<S>> = builder.caffeine()

    override suspend fun get(id: TypeId): CachedState<S>? = cache.getIfPresent(id)

    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?) {
        // Fast path: a newer or equal version is cached (no write lock, no statistics skew).
        val current = cache.policy().getIfPresentQuietly(id)
        if (current != null && current.version >= version) return
        cache.asMap().compute(id) { _, old -> if (old != null && old.version >= version) old else CachedState(version, state, lastEventId) }
    }

    override suspend fun invalidate(id: TypeId) {
        cache.invalidate(id)
    }

    /**
     * A snapshot of the statistics (hits, misses, evictions, …). All zero unless the cache was built
     * with [Builder.recordStats] `true` (the default).
     */
    public fun stats(): CacheStats = cache.stats()

    /** The approximate number of cached aggregates. */
    public fun estimatedSize(): Long = cache.estimatedSize()

    /** Drops every entry. */
    public fun invalidateAll() {
        cache.invalidateAll()
    }

    /** Runs pending maintenance (evictions, expirations) now; useful in tests. */
    public fun cleanUp() {
        cache.cleanUp()
    }

    /**
     * Options of a [CaffeineAggregateCache]. Default: at most 10,000 entries, no expiry, statistics
     * recorded, Caffeine's default executor and the system ticker.
     */
    public class Builder<S> internal constructor() {
        private var maximumSize: Long? = null
        private var maximumWeight: Long? = null
        private var weigher: StateWeigher<S>? = null
        private var expireAfterWrite: Duration? = null
        private var expireAfterAccess: Duration? = null
        private var recordStats: Boolean = true
        private var executor: Executor? = null
        private var ticker: Ticker? = null

        /** Bounds the cache to about [entries] aggregates (>= 1). Default: 10,000 (unless weight-bounded). */
        public fun maximumSize(entries: Long): Builder<S> = apply {
            if (entries < 1) throw InvalidInputException("maximumSize must be >= 1, was $entries")
            if (maximumWeight != null) throw InvalidInputException("maximumSize and maximumWeight are exclusive")
            maximumSize = entries
        }

        /**
         * Bounds the cache by the total [weight] (>= 1) of its states as [weigher] estimates them (e.g.
         * bytes). Exclusive with [maximumSize]. Default: not weight-bounded.
         */
        public fun maximumWeight(weight: Long, weigher: StateWeigher<S>): Builder<S> = apply {
            if (weight < 1) throw InvalidInputException("maximumWeight must be >= 1, was $weight")
            if (maximumSize != null) throw InvalidInputException("maximumSize and maximumWeight are exclusive")
            maximumWeight = weight
            this.weigher = weigher
        }

        /** Expires an entry [ttl] (> 0) after it was last written. Default: never. */
        public fun expireAfterWrite(ttl: Duration): Builder<S> = apply {
            if (ttl.isNegative || ttl.isZero) throw InvalidInputException("expireAfterWrite must be > 0, was $ttl")
            expireAfterWrite = ttl
        }

        /** Expires an entry [ttl] (> 0) after it was last read or written. Default: never. */
        public fun expireAfterAccess(ttl: Duration): Builder<S> = apply {
            if (ttl.isNegative || ttl.isZero) throw InvalidInputException("expireAfterAccess must be > 0, was $ttl")
            expireAfterAccess = ttl
        }

        /** Whether to record statistics for [stats]. Default: `true`. */
        public fun recordStats(enabled: Boolean): Builder<S> = apply { recordStats = enabled }

        /** The executor of Caffeine's maintenance work. Default: `ForkJoinPool.commonPool()`. */
        public fun executor(executor: Executor): Builder<S> = apply { this.executor = executor }

        /** The time source for expiry (tests pass a fake one). Default: `Ticker.systemTicker()`. */
        public fun ticker(ticker: Ticker): Builder<S> = apply { this.ticker = ticker }

        /** Builds the cache. */
        public fun build(): CaffeineAggregateCache<S> = CaffeineAggregateCache(this)

        internal fun caffeine(): Cache<TypeId, CachedState<S>> {
            val b = Caffeine.newBuilder()
            val w = weigher
            val mw = maximumWeight
            if (w != null && mw != null) {
                b.maximumWeight(mw).weigher<TypeId, CachedState<S>> { id, cached -> w.weigh(id, cached.version, cached.state) }
            } else {
                b.maximumSize(maximumSize ?: DEFAULT_MAXIMUM_SIZE)
            }
            expireAfterWrite?.let { b.expireAfterWrite(it) }
            expireAfterAccess?.let { b.expireAfterAccess(it) }
            if (recordStats) b.recordStats()
            executor?.let { b.executor(it) }
            ticker?.let { b.ticker(it) }
            @Suppress("UNCHECKED_CAST")
            return (b as Caffeine<TypeId, CachedState<S>>).build()
        }
    }

    /** Factories. */
    public companion object {
        /** The entry bound when neither [Builder.maximumSize] nor [Builder.maximumWeight] is set. */
        public const val DEFAULT_MAXIMUM_SIZE: Long = 10_000

        /** A builder with the defaults listed on [Builder]. */
        @JvmStatic
        public fun <S> builder(): Builder<S> = Builder()

        /** A cache of at most [maximumSize] entries (default 10,000), no expiry, statistics on. */
        @JvmStatic
        @JvmOverloads
        public fun <S> create(maximumSize: Long = DEFAULT_MAXIMUM_SIZE): CaffeineAggregateCache<S> =
            Builder<S>().maximumSize(maximumSize).build()
    }
}
