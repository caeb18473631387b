package dev.estoria.reliability

import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.test.assertEquals

/** Deletes, truncations and re-creations under the snapshotting and caching stacks on PostgreSQL and SQLite. */
class LayersTest {
    private val operations = Scale.of(ci = 250, soak = 2_500)

    private fun run(backend: Backend, cacheLabel: String, snapshots: JdbcSnapshotStore, cache: dev.estoria.cache.AggregateCache<TckCounter>): Unit = runBlocking {
        val tally = Tally("layers-delete-truncate-recreate", "${backend.name}+$cacheLabel", "$operations random updates / loads / deletes / re-creations / truncations per stack (snapshotting, caching, canonical)")
        LayersChurn.run(backend.store, LayersChurn.stacks(backend.store, snapshots, cache), operations, tally)
        Figures.record(tally)
        assertEquals(0, tally.count("states the stream does not have"), "${tally.figure()}")
    }

    @Test
    fun `postgresql with Caffeine - no load returns a state the stream does not have`() {
        val b = Databases.postgres("layers")
        run(b, "caffeine", JdbcSnapshotStore.postgres(b.dataSource, b.options, keepLast = 3), CaffeineAggregateCache.create())
    }

    @Test
    fun `sqlite with Caffeine - no load returns a state the stream does not have`() {
        val b = Databases.sqlite("layers")
        run(b, "caffeine", JdbcSnapshotStore.sqlite(b.dataSource, b.options, keepLast = 3), CaffeineAggregateCache.create())
    }

    @Test
    fun `sqlite with Redis - no load returns a state the stream does not have`() {
        val b = Databases.sqlite("layers")
        val client = RedisClient.create(RedisTestServer.url())
        try {
            client.connect(ByteArrayCodec.INSTANCE).use { connection ->
                val options = RedisCacheOptions.builder().keyPrefix("rel:layers:${System.nanoTime()}:").commandTimeout(Duration.ofSeconds(10)).build()
                run(b, "redis", JdbcSnapshotStore.sqlite(b.dataSource, b.options, keepLast = 3), RedisAggregateCache(connection, TckCounter.codec, options))
            }
        } finally {
            client.shutdown()
        }
    }
}
