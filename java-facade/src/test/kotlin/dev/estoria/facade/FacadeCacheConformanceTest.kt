package dev.estoria.facade

import dev.estoria.facade.support.JdbcDatabases
import dev.estoria.facade.support.AsyncBackedEventStore
import dev.estoria.async.AsyncEventStore
import dev.estoria.eventstore.EventStore
import dev.estoria.testkit.layers.AggregateLayersSuite
import dev.estoria.async.AsyncAggregateCache
import dev.estoria.async.AsyncSnapshotStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisSnapshotStore
import dev.estoria.cache.redis.RedisSnapshotStoreOptions
import dev.estoria.facade.support.AsyncBackedAggregateCache
import dev.estoria.facade.support.AsyncBackedSnapshotStore
import dev.estoria.facade.support.RedisConnections
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.cache.AggregateCacheSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

/* The cache and Redis snapshot suites through the facade, on Caffeine and a real redis-server. */

class FacadeCaffeineAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> =
        AsyncBackedAggregateCache(AsyncAggregateCache.from(CaffeineAggregateCache.create<TckCounter>()))
}

class FacadeRedisAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> =
        AsyncBackedAggregateCache(AsyncAggregateCache.from(RedisAggregateCache(RedisConnections.bytes(), TckCounter.codec, RedisConnections.cacheOptions)))
}

class FacadeRedisSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore {
        val options = RedisSnapshotStoreOptions.Builder().keepLast(keepLast).build()
        return AsyncBackedSnapshotStore(AsyncSnapshotStore.from(RedisSnapshotStore(RedisConnections.bytes(), options)))
    }
}

/** The layers' kit with every backend reached through its async facade (PostgreSQL, Redis snapshots, Redis cache). */
class FacadeLayersTest : AggregateLayersSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(AsyncEventStore.from(JdbcDatabases.postgresEventStore()))

    override fun snapshotStore(): SnapshotStore =
        AsyncBackedSnapshotStore(AsyncSnapshotStore.from(RedisSnapshotStore(RedisConnections.bytes())))

    override fun cache(): AggregateCache<TckCounter> =
        AsyncBackedAggregateCache(AsyncAggregateCache.from(RedisAggregateCache(RedisConnections.bytes(), TckCounter.codec, RedisConnections.cacheOptions)))
}
