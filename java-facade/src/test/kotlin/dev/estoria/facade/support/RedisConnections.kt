package dev.estoria.facade.support

import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.RedisClient
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.ByteArrayCodec
import java.time.Duration

/** One Lettuce connection to the resolved Redis server per JVM (env var → Testcontainers → embedded). */
object RedisConnections {
    private val connection: StatefulRedisConnection<ByteArray, ByteArray> by lazy {
        val client = RedisClient.create(RedisTestServer.url())
        val connection = client.connect(ByteArrayCodec.INSTANCE)
        Runtime.getRuntime().addShutdownHook(Thread { connection.close(); client.shutdown() })
        connection
    }

    /** Cache options with a 10 s command deadline (not 250 ms): a loaded CI machine must not turn slow answers into misses. */
    @JvmStatic
    val cacheOptions: RedisCacheOptions = RedisCacheOptions.builder().commandTimeout(Duration.ofSeconds(10)).build()

    /** The shared byte-array connection; skips (or fails, when required) without a server. */
    @JvmStatic
    fun bytes(): StatefulRedisConnection<ByteArray, ByteArray> {
        RedisTestServer.url()
        return connection
    }
}
