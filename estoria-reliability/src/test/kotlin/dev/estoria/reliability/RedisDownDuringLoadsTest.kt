package dev.estoria.reliability

import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.id.TypeId
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.random.Random
import kotlin.test.assertEquals

/**
 * A dedicated Redis stopped in the middle of cached loads and saves, then restarted (empty): every load
 * returns the stream's state, from the store while the cache is down.
 */
class RedisDownDuringLoadsTest {
    @Test
    fun `loads stay correct from the store while the Redis cache is down and after it restarts`(): Unit = runBlocking {
        val redis = RedisTestServer.dedicatedEmbedded()
        val client = RedisClient.create(redis.url).apply {
            options = ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build()
        }
        try {
            client.connect(ByteArrayCodec.INSTANCE).use { connection ->
                val backend = Databases.sqlite("redisdown")
                val operations = Scale.of(ci = 600, soak = 5_000)
                val tally = Tally("fault-redis-stopped", "sqlite+redis", "$operations cached loads and updates; Redis stopped at 1/3 and restarted empty at 2/3")
                val plain = EventSourcedAggregateStore(backend.store, TckCounter.definition)
                val options = RedisCacheOptions.builder().commandTimeout(Duration.ofMillis(500)).build()
                val cached = CachingAggregateStore(plain, RedisAggregateCache(connection, TckCounter.codec, options))
                val expected = HashMap<TypeId, Long>()
                repeat(10) {
                    val a = plain.new()
                    a.append(TckCounter.Added(1))
                    plain.save(a)
                    expected[a.id] = 1
                }
                val ids = expected.keys.toList()
                val random = Random(7)
                for (i in 0 until operations) {
                    if (i == operations / 3) { redis.stop(); tally.faults.incrementAndGet() }
                    if (i == 2 * operations / 3) redis.start()
                    val id = ids[random.nextInt(ids.size)]
                    val down = !redis.isRunning
                    if (random.nextInt(4) == 0) {
                        cached.update(id) { listOf(TckCounter.Added(1)) }
                        expected[id] = expected.getValue(id) + 1
                        tally.note(if (down) "updates while down" else "updates while up")
                    } else {
                        val loaded = cached.load(id)
                        tally.eventsChecked.addAndGet(loaded.version)
                        if (loaded.state.value != expected[id] || loaded.version != expected[id]) tally.lost.incrementAndGet()
                        assertEquals(expected[id], loaded.state.value, "operation $i")
                        tally.note(if (down) "loads while down" else "loads while up")
                    }
                    tally.cases.incrementAndGet()
                }
                Figures.record(tally)
            }
        } finally {
            client.shutdown()
            redis.stop()
        }
    }
}
