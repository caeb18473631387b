package dev.estoria.cache.caffeine

import com.github.benmanes.caffeine.cache.Ticker
import dev.estoria.cache.AggregateCache
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.cache.AggregateCacheSuite
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class CaffeineAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> = CaffeineAggregateCache.create()
}

class CaffeineWeightBoundedAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> =
        CaffeineAggregateCache.builder<TckCounter>()
            .maximumWeight(1_000_000) { _, _, state -> 16 + state.label.length + state.id.length }
            .expireAfterWrite(Duration.ofMinutes(5))
            .build()
}

class CaffeineAggregateCacheOptionsTest {
    private fun id() = TypeId.new(TckCounter.TYPE)
    private fun state(id: TypeId, v: Long, label: String = "") = TckCounter(id.toString(), v, label)

    @Test
    fun `the entry bound evicts beyond maximumSize`() = runBlocking<Unit> {
        val cache = CaffeineAggregateCache.builder<TckCounter>().maximumSize(10).executor(Runnable::run).build()
        repeat(100) { val id = id(); cache.put(id, 1, state(id, 1)) }
        cache.cleanUp()
        assertTrue(cache.estimatedSize() <= 10, "size ${cache.estimatedSize()}")
        assertTrue(cache.stats().evictionCount() >= 90)
    }

    @Test
    fun `the weight bound evicts beyond maximumWeight`() = runBlocking<Unit> {
        val cache = CaffeineAggregateCache.builder<TckCounter>()
            .maximumWeight(1_000) { _, _, s -> s.label.length }
            .executor(Runnable::run)
            .build()
        repeat(50) { val id = id(); cache.put(id, 1, state(id, 1, "x".repeat(100))) }
        cache.cleanUp()
        assertTrue(cache.estimatedSize() <= 10, "size ${cache.estimatedSize()}")
    }

    @Test
    fun `entries expire after the ttl`() = runBlocking<Unit> {
        val now = AtomicLong(0)
        val cache = CaffeineAggregateCache.builder<TckCounter>()
            .expireAfterWrite(Duration.ofSeconds(10))
            .ticker(Ticker { now.get() })
            .executor(Runnable::run)
            .build()
        val id = id()
        cache.put(id, 1, state(id, 1))
        now.addAndGet(Duration.ofSeconds(9).toNanos())
        assertNotNull(cache.get(id))
        now.addAndGet(Duration.ofSeconds(2).toNanos())
        assertNull(cache.get(id))
        // An expired entry no longer blocks an older version.
        cache.put(id, 1, state(id, 1))
        assertEquals(1, cache.get(id)?.version)
    }

    @Test
    fun `stats count hits and misses`() = runBlocking<Unit> {
        val cache = CaffeineAggregateCache.create<TckCounter>()
        val id = id()
        cache.get(id)
        cache.put(id, 2, state(id, 2))
        cache.get(id)
        cache.get(id)
        cache.put(id, 1, state(id, 1)) // rejected: not counted as a read
        val stats = cache.stats()
        assertEquals(2, stats.hitCount())
        assertEquals(1, stats.missCount())
        assertEquals(2, cache.get(id)?.version)
    }

    @Test
    fun `invalid bounds are rejected`() {
        assertFailsWith<InvalidInputException> { CaffeineAggregateCache.builder<TckCounter>().maximumSize(0) }
        assertFailsWith<InvalidInputException> { CaffeineAggregateCache.builder<TckCounter>().maximumSize(5).maximumWeight(5) { _, _, _ -> 1 } }
        assertFailsWith<InvalidInputException> { CaffeineAggregateCache.builder<TckCounter>().expireAfterWrite(Duration.ZERO) }
    }
}
