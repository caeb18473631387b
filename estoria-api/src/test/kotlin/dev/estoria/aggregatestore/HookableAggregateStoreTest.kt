package dev.estoria.aggregatestore

import dev.estoria.aggregate.Account
import dev.estoria.aggregate.Deposited
import dev.estoria.aggregate.Opened
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.EventsAppendedButSaveFailedException
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame

class HookableAggregateStoreTest {
    private val events = CountingEventStore()
    private val base = EventSourcedAggregateStore(events, Account)

    @Test
    fun `hooks run in order around load, hydrate and save`() = runTest {
        val calls = ArrayList<String>()
        val store = HookableAggregateStore(base) {
            beforeLoad { calls += "beforeLoad" }
            afterLoad { calls += "afterLoad@${it.version}" }
            beforeHydrate { calls += "beforeHydrate@${it.version}" }
            afterHydrate { calls += "afterHydrate@${it.version}" }
            beforeSave { calls += "beforeSave@${it.pendingVersion}" }
            afterSave { calls += "afterSave@${it.version}" }
            beforeSave { calls += "beforeSave2" }
        }
        val account = store.new()
        account.append(Opened("ada"))
        store.save(account)
        val stale = store.load(account.id)
        account.append(Deposited(1))
        store.save(account)
        store.hydrate(stale)
        assertEquals(
            listOf("beforeSave@1", "beforeSave2", "afterSave@1", "beforeLoad", "afterLoad@1", "beforeSave@2", "beforeSave2", "afterSave@2", "beforeHydrate@1", "afterHydrate@2"),
            calls,
        )
    }

    @Test
    fun `a before-save hook adds correlation metadata to every event`() = runTest {
        val store = HookableAggregateStore(base) { beforeSave { it.putMetadata("correlation_id", "req-42") } }
        val account = store.new()
        account.append(Opened("ada"), Deposited(3))
        store.save(account)
        val stored = events.readStream(account.id).toList()
        assertEquals(listOf("req-42", "req-42"), stored.map { it.metadata["correlation_id"] })
    }

    @Test
    fun `a failing before-save hook aborts and nothing is written`() = runTest {
        val failure = IllegalStateException("not allowed")
        val store = HookableAggregateStore(base) { beforeSave { throw failure } }
        val account = store.new()
        account.append(Opened("ada"))
        assertSame(failure, assertFailsWith<IllegalStateException> { store.save(account) })
        assertFailsWith<AggregateNotFoundException> { base.load(account.id) }
        assertEquals(1, account.pendingEvents.size)
    }

    @Test
    fun `a failing before-load hook aborts the load`() = runTest {
        val store = HookableAggregateStore(base) { beforeLoad { throw SecurityException("forbidden") } }
        assertFailsWith<SecurityException> { store.load(Account.newId()) }
    }

    @Test
    fun `a failing after-save hook reports that the events were appended`() = runTest {
        val store = HookableAggregateStore(base) { afterSave { error("audit log down") } }
        val account = store.new()
        account.append(Opened("ada"), Deposited(1))
        val error = assertFailsWith<EventsAppendedButSaveFailedException> { store.save(account) }
        assertEquals(account.id, error.aggregateId)
        assertEquals(2, error.appendedVersion)
        assertEquals("audit log down", error.cause?.message)
        assertEquals(2, base.load(account.id).version)
    }
}
