package dev.estoria.cache.redis

import java.time.Duration
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisURI
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.ByteArrayCodec

/** One Lettuce client and connection per JVM to the shared test server (see [RedisTestServer]). */
object RedisTestSupport {
    private val client: RedisClient by lazy {
        RedisClient.create(RedisURI.create(RedisTestServer.url())).also { c ->
            c.options = ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build()
            Runtime.getRuntime().addShutdownHook(Thread { c.shutdown() })
        }
    }

    /** The shared connection. */
    val connection: StatefulRedisConnection<ByteArray, ByteArray> by lazy { client.connect(ByteArrayCodec.INSTANCE) }

    /**
     * Cache options for the tests: a 10 s command deadline instead of the 250 ms default, so that a slow
     * answer on a loaded CI machine is not turned into a miss (the outage tests set their own short deadline).
     */
    val cacheOptions: RedisCacheOptions by lazy { cacheOptionsBuilder().build() }

    /** A builder starting from [cacheOptions]. */
    fun cacheOptionsBuilder(): RedisCacheOptions.Builder = RedisCacheOptions.builder().commandTimeout(Duration.ofSeconds(10))

    /** A new connection (another "application instance"); the caller closes it. */
    fun newConnection(): StatefulRedisConnection<ByteArray, ByteArray> = client.connect(ByteArrayCodec.INSTANCE)
}
