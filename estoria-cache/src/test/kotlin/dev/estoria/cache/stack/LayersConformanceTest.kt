package dev.estoria.cache.stack

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisSnapshotStore
import dev.estoria.cache.redis.RedisSnapshotStoreOptions
import dev.estoria.cache.redis.RedisTestSupport
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.layers.AggregateLayersSuite

private val events = InMemoryEventStore()

/** The layers' kit with the Caffeine cache. */
class CaffeineLayersTest : AggregateLayersSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = events

    override fun snapshotStore(): SnapshotStore = InMemorySnapshotStore()

    override fun cache(): AggregateCache<TckCounter> = CaffeineAggregateCache.create()
}

/** The layers' kit with the Redis cache and the Redis snapshot store on the real test server. */
class RedisLayersTest : AggregateLayersSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = events

    override fun snapshotStore(): SnapshotStore =
        RedisSnapshotStore(RedisTestSupport.connection, RedisSnapshotStoreOptions.builder().keepLast(3).build())

    override fun cache(): AggregateCache<TckCounter> = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
}
