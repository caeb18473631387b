package dev.estoria.aggregatestore

import dev.estoria.aggregate.Account
import dev.estoria.aggregate.Deposited
import dev.estoria.aggregate.Opened
import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.test.runTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse

/**
 * Saving an aggregate again after a save whose outcome was unknown is safe (docs/semantics.md, "Idempotent
 * appends"), also when other writers appended to the stream in between.
 */
class RetriedSaveTest {
    /** Stores the first append, then reports it as failed, as a connection lost after the commit would. */
    private class LosesFirstAnswer(val inner: InMemoryEventStore) : EventStore by inner {
        var lose = true

        override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult {
            val result = inner.appendStream(streamId, events, expected)
            if (lose) {
                lose = false
                throw AppendOutcomeUnknownException(streamId, RuntimeException("connection reset after commit"))
            }
            return result
        }
    }

    @Test
    fun `a save retried after its unseen success and another writer's append keeps the aggregate's own version`() = runTest {
        val events = InMemoryEventStore()
        val flaky = LosesFirstAnswer(events)
        val store = EventSourcedAggregateStore(flaky, Account)
        val account = store.new()
        account.append(Opened("Ada"), Deposited(10))
        assertFailsWith<AppendOutcomeUnknownException> { store.save(account) }

        val other = EventSourcedAggregateStore(events, Account).load(account.id)
        other.append(Deposited(5))
        EventSourcedAggregateStore(events, Account).save(other)

        store.save(account)
        assertEquals(2, account.version)
        assertFalse(account.hasPendingEvents)
        assertEquals(3, events.readStream(account.id).let { flow -> var n = 0; flow.collect { n++ }; n })
        assertEquals(15, store.load(account.id).state.balance)
    }
}
