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

    /**
     * A miss sends the caching layer to the store; the cache must never answer for an id it was not given,
     * even when it holds others.
     */
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

    /**
     * The caching layer restores an aggregate from the cached state and replays the events after the cached
     * version; both must come back exactly as put.
     */
    @Test
    public fun `get returns the state put, with its version`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        cache.put(id, 3, state(id, 30))
        val hit = assertNotNull(cache.get(id))
        assertEquals(3, hit.version)
        assertEquals(state(id, 30), hit.state)
    }

    /**
     * The caching layer checks a hit against the stream by the id of the entry's last event; a cache that
     * loses the id makes every hit unverifiable (discarded), one that alters it serves a deleted stream's state.
     */
    @Test
    public fun `get returns the last event id put with the state`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        val lastEvent = TypeId.new("tck_added")
        cache.put(id, 4, state(id, 40), lastEvent)
        assertEquals(lastEvent, cache.get(id)?.lastEventId)
        val other = newId()
        cache.put(other, 1, state(other, 1), null)
        assertNull(assertNotNull(cache.get(other)).lastEventId, "an entry put without an id has none")
    }

    /**
     * The caching layer puts the new state after every save; later loads must get it rather than the state
     * from before the save.
     */
    @Test
    public fun `a newer version replaces an older one`(): TestResult = Tck.run {
        val cache = cache()
        val id = newId()
        cache.put(id, 3, state(id, 30))
        cache.put(id, 5, state(id, 50))
        assertEquals(5, cache.get(id)?.version)
        assertEquals(state(id, 50), cache.get(id)?.state)
    }

    /**
     * Puts from slow loads can arrive after newer ones; ignoring an older or equal version keeps the cache
     * from going backwards and serving outdated state.
     */
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

    /**
     * The caching layer invalidates an entry when its aggregate is gone; exactly that entry must go, and the
     * id can be cached again afterwards.
     */
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

    /**
     * Loads and saves put concurrently in production; whatever the interleaving, the newest version must be
     * the one left in the cache.
     */
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
