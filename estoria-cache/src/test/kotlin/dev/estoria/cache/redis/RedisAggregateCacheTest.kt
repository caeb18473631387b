package dev.estoria.cache.redis

import dev.estoria.cache.AggregateCache
import dev.estoria.codec.Codec
import dev.estoria.error.CodecException
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.cache.AggregateCacheSuite
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

class RedisAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
}

class RedisAggregateCacheWithTtlTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> =
        RedisAggregateCache(
            RedisTestSupport.connection,
            TckCounter.codec,
            RedisTestSupport.cacheOptionsBuilder().keyPrefix("test:ttl:").ttl(Duration.ofMinutes(1)).build(),
        )
}

class RedisAggregateCacheBehaviourTest {
    private val sync = RedisTestSupport.connection.sync()
    private fun id() = TypeId.new(TckCounter.TYPE)
    private fun state(id: TypeId, v: Long) = TckCounter(id.toString(), v, "v$v")
    private fun key(prefix: String, id: TypeId) = "$prefix{$id}".toByteArray()

    @Test
    fun `keys carry the prefix and the aggregate id as cluster hash tag`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptionsBuilder().keyPrefix("app1:agg:").build())
        val id = id()
        cache.put(id, 4, state(id, 4))
        val raw = sync.get(key("app1:agg:", id))
        assertTrue(raw != null && String(raw).startsWith("e2:4:0:16:application/json"), raw?.let { String(it) })
        assertNull(sync.get(key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id)))
        // Two prefixes are two independent caches.
        val other = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptionsBuilder().keyPrefix("app2:agg:").build())
        assertNull(other.get(id))
    }

    @Test
    fun `the ttl is set on every successful put`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptionsBuilder().ttl(Duration.ofSeconds(30)).build())
        val id = id()
        cache.put(id, 1, state(id, 1))
        val pttl = sync.pttl(key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id))
        assertTrue(pttl in 1..30_000, "pttl $pttl")
        val noTtl = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id2 = id()
        noTtl.put(id2, 1, state(id2, 1))
        assertEquals(-1, sync.pttl(key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id2)))
    }

    @Test
    fun `versions compare exactly as numbers, beyond 2^53 and across digit counts`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id = id()
        cache.put(id, 9, state(id, 9))
        cache.put(id, 10, state(id, 10))
        assertEquals(10, cache.get(id)?.version)
        cache.put(id, 9, state(id, 9))
        assertEquals(10, cache.get(id)?.version)
        val big = (1L shl 53) + 1
        cache.put(id, big, state(id, 1))
        cache.put(id, big - 1, state(id, 2))
        assertEquals(big, cache.get(id)?.version)
        cache.put(id, Long.MAX_VALUE, state(id, 3))
        assertEquals(Long.MAX_VALUE, cache.get(id)?.version)
        assertFailsWith<InvalidInputException> { cache.put(id, -1, state(id, 0)) }
    }

    @Test
    fun `an undecodable entry is reported, deleted, and then replaced by any version`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id = id()
        val key = key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id)
        sync.set(key, "garbage".toByteArray())
        assertFailsWith<CodecException> { cache.get(id) }
        assertNull(sync.get(key), "the bad entry is deleted")

        sync.set(key, "e1:9:16:application/json{not json".toByteArray())
        assertFailsWith<CodecException> { cache.get(id) }
        cache.put(id, 3, state(id, 3))
        assertEquals(3, cache.get(id)?.version)

        // Another codec (content type) wrote this entry: a miss-worthy failure, never a wrong state.
        val cbor = object : Codec<TckCounter> {
            override val contentType = "application/cbor"
            override fun encode(value: TckCounter) = TckCounter.codec.encode(value)
            override fun decode(data: ByteArray) = TckCounter.codec.decode(data)
        }
        RedisAggregateCache(RedisTestSupport.connection, cbor, RedisTestSupport.cacheOptions).put(id, 5, state(id, 5))
        assertFailsWith<CodecException> { cache.get(id) }
    }

    /**
     * Junk left by another program, a bug or a restored backup: a version of 0, with a leading zero, or beyond
     * Long.MAX_VALUE must be a miss, never a state at that version (which the layer would replay all events
     * on top of) nor a version the compare-and-set put would refuse every real version against.
     */
    @Test
    fun `an entry whose version is out of range is a miss that the next put overwrites`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val junk = listOf("0", "007", "9223372036854775808", "9999999999999999999", "12345678901234567890", "-3")
        for (format in listOf("e1:%s:", "e2:%s:0:")) {
            for (version in junk) {
                val id = id()
                val key = key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id)
                val entry = (format.format(version) + "16:application/json").toByteArray() + TckCounter.codec.encode(state(id, 50))
                sync.set(key, entry)
                val read = runCatching { cache.get(id) }
                assertTrue(read.exceptionOrNull() is CodecException || (read.isSuccess && read.getOrNull() == null), "version $version: $read")
                sync.set(key, entry)
                cache.put(id, 3, state(id, 3))
                assertEquals(3, cache.get(id)?.version, "a put overwrites the entry at version $version")
            }
        }
    }

    @Test
    fun `an entry of the previous format decodes without a last event id`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id = id()
        sync.set(key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id), "e1:7:16:application/json".toByteArray() + TckCounter.codec.encode(state(id, 7)))
        val hit = cache.get(id)
        assertEquals(7, hit?.version)
        assertEquals(state(id, 7), hit?.state)
        assertNull(hit?.lastEventId)
        cache.put(id, 8, state(id, 8), TypeId.new("tck_added"))
        assertEquals(8, cache.get(id)?.version, "a newer put replaces it")
    }

    @Test
    fun `a garbage value that is not in the entry format is overwritten by a put`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id = id()
        sync.set(key(RedisCacheOptions.DEFAULT_KEY_PREFIX, id), "e1:notanumber".toByteArray())
        cache.put(id, 1, state(id, 1))
        assertEquals(1, cache.get(id)?.version)
    }

    @Test
    fun `the put script survives a SCRIPT FLUSH (NOSCRIPT falls back to EVAL)`() = runBlocking<Unit> {
        val cache = RedisAggregateCache(RedisTestSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
        val id = id()
        cache.put(id, 1, state(id, 1))
        sync.scriptFlush()
        cache.put(id, 2, state(id, 2))
        assertEquals(2, cache.get(id)?.version)
    }

    /**
     * Two application instances (two connections, two cache objects) race: one writes the old
     * version, the other the new one, in every interleaving the scheduler produces; the older version
     * must never be left cached.
     */
    @Test
    fun `two instances racing old and new versions never leave the older one cached`() = runBlocking<Unit> {
        val a = RedisTestSupport.newConnection()
        val b = RedisTestSupport.newConnection()
        try {
            val cacheA = RedisAggregateCache(a, TckCounter.codec, RedisTestSupport.cacheOptions)
            val cacheB = RedisAggregateCache(b, TckCounter.codec, RedisTestSupport.cacheOptions)
            val rounds = 500
            val ids = List(rounds) { TypeId(TckCounter.TYPE, UUID.randomUUID()) }
            var stale = 0
            for (chunk in ids.chunked(50)) {
                chunk.map { id ->
                    async(Dispatchers.Default) {
                        val old = async(Dispatchers.Default) { for (v in 1L..5L) cacheA.put(id, v, state(id, v)) }
                        val new = async(Dispatchers.Default) { cacheB.put(id, 6, state(id, 6)) }
                        awaitAll(old, new)
                    }
                }.awaitAll()
                for (id in chunk) {
                    val cached = cacheA.get(id)
                    if (cached?.version != 6L || cached.state != state(id, 6)) stale++
                }
            }
            assertEquals(0, stale, "rounds that left an older version cached")
        } finally {
            a.close()
            b.close()
        }
    }
}
