package dev.estoria.cache.stack

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisSnapshotStore
import dev.estoria.cache.redis.RedisSnapshotStoreOptions
import dev.estoria.cache.redis.RedisTestSupport
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.TckCounter.Added
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull

private val events = InMemoryEventStore()

private fun stack(definition: AggregateDefinition<TckCounter>, snapshots: SnapshotStore, cache: AggregateCache<TckCounter>): AggregateStore<TckCounter> {
    val base = EventSourcedAggregateStore(events, definition)
    val snapshotting = SnapshottingAggregateStore(base, snapshots, SnapshotPolicy.everyNEvents(2))
    val cached = CachingAggregateStore(snapshotting, cache)
    return HookableAggregateStore(cached) { beforeSave { it.putMetadata("correlation_id", "stack") } }
}

/** event-sourced → snapshotting (in memory) → cached (Caffeine) → hooks keeps the aggregate-store contract. */
class CaffeineStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        stack(definition, InMemorySnapshotStore(keepLast = 2), CaffeineAggregateCache.create())
}

/** event-sourced → snapshotting (Redis) → cached (Redis) → hooks keeps the aggregate-store contract. */
class RedisStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        stack(
            definition,
            RedisSnapshotStore(RedisTestSupport.connection, RedisSnapshotStoreOptions.builder().keepLast(2).build()),
            RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions),
        )
}

/** Each layer does its part: the cache holds the newest version, the snapshot store the policy's versions. */
class StackLayersTest {
    private fun check(snapshots: SnapshotStore, cache: AggregateCache<TckCounter>) = runBlocking<Unit> {
        val store = stack(TckCounter.definition, snapshots, cache)
        val aggregate = store.new()
        aggregate.append(Added(1))
        store.save(aggregate)
        repeat(8) {
            val loaded = store.load(aggregate.id)
            loaded.append(Added(1))
            store.save(loaded)
        }
        assertEquals(9, assertNotNull(cache.get(aggregate.id)).version)
        assertEquals(8, assertNotNull(snapshots.read(aggregate.id)).version)
        assertEquals(6, assertNotNull(snapshots.read(aggregate.id, 7)).version)
        // An older version below the cached one is served from the snapshot + events.
        val old = store.load(aggregate.id, 5)
        assertEquals(5, old.version)
        assertEquals(5, old.state.value)
        assertEquals(9, store.load(aggregate.id).state.value)
        // Without the cache entry, the snapshot and the events after it rebuild the same state.
        cache.invalidate(aggregate.id)
        assertEquals(9, store.load(aggregate.id).state.value)
        assertEquals(9, cache.get(aggregate.id)?.version)
    }

    @Test
    fun `Caffeine cache over an in-memory snapshot store`() = check(InMemorySnapshotStore(), CaffeineAggregateCache.create())

    @Test
    fun `Caffeine cache over the Redis snapshot store`() = check(RedisSnapshotStore(RedisTestSupport.connection), CaffeineAggregateCache.create())

    @Test
    fun `Redis cache over the Redis snapshot store`() =
        check(RedisSnapshotStore(RedisTestSupport.connection), RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions))
}
