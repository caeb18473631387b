package dev.estoria.testkit.cache

import dev.estoria.cache.AggregateCache
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

/** The contract of [AggregateCache]: newest state wins and the cache never goes backwards. */
public abstract class AggregateCacheSuite {
    /** The cache under test, holding [TckCounter] states (codec: [TckCounter.codec]); called once per clause. */
    protected abstract fun cache(): AggregateCache<TckCounter>

    private fun newId(): TypeId = TypeId.new(TckCounter.TYPE)

    private fun state(id: TypeId, value: Long) = TckCounter(id.toString(), value, "v$value")

    @Test
    public fun `get misses for an id never put`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        assertNull(cache.get(id))
        val other = newId()
        cache.put(other, 1, state(other, 1))
        assertNull(cache.get(id))
        assertEquals(1, cache.get(other)?.version)
    }

    @Test
    public fun `get returns the state put, with its version`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        cache.put(id, 3, state(id, 30))
        val hit = assertNotNull(cache.get(id))
        assertEquals(3, hit.version)
        assertEquals(state(id, 30), hit.state)
    }

    @Test
    public fun `a newer version replaces an older one`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        cache.put(id, 3, state(id, 30))
        cache.put(id, 5, state(id, 50))
        assertEquals(5, cache.get(id)?.version)
        assertEquals(state(id, 50), cache.get(id)?.state)
    }

    @Test
    public fun `a put never replaces a newer version with an older one`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        cache.put(id, 5, state(id, 50))
        cache.put(id, 3, state(id, 30))
        cache.put(id, 5, state(id, 99))
        assertEquals(5, cache.get(id)?.version)
        assertEquals(state(id, 50), cache.get(id)?.state)
    }

    @Test
    public fun `invalidate drops the entry and only that entry`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        val other = newId()
        cache.put(id, 1, state(id, 1))
        cache.put(other, 2, state(other, 2))
        cache.invalidate(id)
        assertNull(cache.get(id))
        assertEquals(2, cache.get(other)?.version)
        cache.put(id, 1, state(id, 1))
        assertEquals(1, cache.get(id)?.version)
    }

    @Test
    public fun `racing writers of old and new versions never leave an older version cached`(): TestResult = Tck.run {
        val cache = cache()
        repeat(20) { round ->
            val id = newId()
            withContext(Dispatchers.Default) {
                launch { for (v in 1L..20L) cache.put(id, v * 2, state(id, v * 2)) }
                launch { for (v in 1L..20L) cache.put(id, v * 2 - 1, state(id, v * 2 - 1)) }
                launch { cache.put(id, 40, state(id, 40)) }
            }
            assertEquals(40, cache.get(id)?.version, "round $round left an older version cached")
            assertEquals(state(id, 40), cache.get(id)?.state)
        }
    }
}
