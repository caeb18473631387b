package dev.estoria.aggregatestore

import dev.estoria.aggregate.Account
import dev.estoria.aggregate.AccountState
import dev.estoria.aggregate.Deposited
import dev.estoria.aggregate.Opened
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.id.TypeId
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull

class CachingAggregateStoreTest {
    private val events = CountingEventStore()
    private val base = EventSourcedAggregateStore(events, Account)
    private val cache = InMemoryAggregateCache<AccountState>()
    private val store = CachingAggregateStore(base, cache)

    private suspend fun opened(deposits: Int = 0): TypeId {
        val account = store.new()
        account.append(Opened("ada"))
        repeat(deposits) { account.append(Deposited(1)) }
        store.save(account)
        return account.id
    }

    @Test
    fun `a save caches the new state and a load starts from it`() = runTest {
        val id = opened(99)
        assertEquals(100, cache.get(id)?.version)
        events.eventsRead.set(0)
        val loaded = store.load(id)
        assertEquals(99, loaded.state.balance)
        assertEquals(1, events.eventsRead.get(), "only the cached version's own event, read to check the entry")
    }

    @Test
    fun `a hit is brought up to date with events written behind the cache`() = runTest {
        val id = opened(1)
        val elsewhere = base.load(id)
        elsewhere.append(Deposited(10))
        base.save(elsewhere)
        val loaded = store.load(id)
        assertEquals(3, loaded.version)
        assertEquals(11, loaded.state.balance)
        assertEquals(3, cache.get(id)?.version)
    }

    @Test
    fun `without refresh a hit is returned as cached`() = runTest {
        val id = opened(1)
        val trusting = CachingAggregateStore(base, cache, refreshOnHit = false)
        val elsewhere = base.load(id)
        elsewhere.append(Deposited(10))
        base.save(elsewhere)
        assertEquals(2, trusting.load(id).version)
    }

    @Test
    fun `a load to an older version than cached bypasses the cache and never rewinds it`() = runTest {
        val id = opened(5)
        val old = store.load(id, 2)
        assertEquals(2, old.version)
        assertEquals(1, old.state.balance)
        assertEquals(6, cache.get(id)?.version)
    }

    @Test
    fun `a cache that fails is treated as a miss`() = runTest {
        val broken = object : AggregateCache<AccountState> {
            override suspend fun get(id: TypeId): CachedState<AccountState>? = error("cache down")
            override suspend fun put(id: TypeId, version: Long, state: AccountState, lastEventId: TypeId?) = error("cache down")
            override suspend fun invalidate(id: TypeId) = error("cache down")
        }
        val layered = CachingAggregateStore(base, broken)
        val account = layered.new()
        account.append(Opened("ada"), Deposited(4))
        layered.save(account)
        assertEquals(4, layered.load(account.id).state.balance)
    }

    @Test
    fun `a cached aggregate whose stream is gone is dropped from the cache`() = runTest {
        val id = opened()
        events.inner.delete(id)
        assertFailsWith<AggregateNotFoundException> { store.load(id) }
        assertNull(cache.get(id))
    }
}
