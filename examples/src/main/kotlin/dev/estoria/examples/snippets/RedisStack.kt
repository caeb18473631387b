// Shown in docs/cache.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.cache.redis.RedisSnapshotStore
import dev.estoria.cache.redis.RedisSnapshotStoreOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.examples.quickstart.Account
import dev.estoria.examples.quickstart.Accounts
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import java.time.Duration

fun redisStack(events: EventStore): AggregateStore<Account> {
    val client = RedisClient.create("redis://localhost:6379").apply {
        // Recommended: fail commands at once while Redis is unreachable instead of buffering them.
        options = ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build()
    }
    val connection = client.connect(ByteArrayCodec.INSTANCE)    // the cache and snapshot store need byte[] keys and values

    val snapshots = RedisSnapshotStore(connection, RedisSnapshotStoreOptions.builder().keepLast(3).build())
    val cache = RedisAggregateCache(connection, Accounts.requireStateCodec("cache"),
        RedisCacheOptions.builder().ttl(Duration.ofHours(1)).build())

    return CachingAggregateStore(
        SnapshottingAggregateStore(EventSourcedAggregateStore(events, Accounts), snapshots, SnapshotPolicy.everyNEvents(100)),
        cache,
    )
}
