@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.aggregatestore

import dev.estoria.aggregate.Account
import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AccountState
import dev.estoria.aggregate.Deposited
import dev.estoria.aggregate.Opened
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue

@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class UpdateTest {
    private val base = EventSourcedAggregateStore(CountingEventStore(), Account)

    /** A store whose saves always lose the race: every save conflicts. */
    private class AlwaysConflicting(private val inner: AggregateStore<AccountState>) : AggregateStore<AccountState> by inner {
        var saves = 0
        override suspend fun save(aggregate: Aggregate<AccountState>) {
            saves++
            throw StreamVersionConflictException(aggregate.id, ExpectedVersion.Exact(aggregate.version), aggregate.version + 1)
        }
    }

    @Test
    fun `update gives up after the policy's attempts with bounded back-off`() = runTest {
        val account = base.new()
        account.append(Opened("ada"))
        base.save(account)
        val losing = AlwaysConflicting(base)
        val policy = RetryPolicy(maxAttempts = 4, initialDelay = Duration.ofMillis(100), maxDelay = Duration.ofMillis(250))
        val error = assertFailsWith<StreamVersionConflictException> { losing.update(account.id, policy) { listOf(Deposited(1)) } }
        assertEquals(4, losing.saves)
        assertEquals(4, error.attempts, "the error says retries ran out")
        assertTrue(error.message.orEmpty().contains("gave up after 4 attempts"), error.message)
        assertEquals(account.id, assertIs<StreamVersionConflictException>(error.cause).streamId, "the last conflict is the cause")
        val single = assertFailsWith<StreamVersionConflictException> { losing.update(account.id, RetryPolicy.NONE) { listOf(Deposited(1)) } }
        assertEquals(1, single.attempts)
        // three waits, each at most min(250, 100 * 2^k) ms
        assertTrue(currentTime <= 100 + 200 + 250, "waited $currentTime ms")
        assertTrue(currentTime >= 50 + 100 + 125, "waited only $currentTime ms")
    }

    @Test
    fun `an empty decision saves nothing`() = runTest {
        val account = base.new()
        account.append(Opened("ada"))
        base.save(account)
        val result = base.update(account.id) { emptyList() }
        assertEquals(1, result.version)
    }

    @Test
    fun `retry delays grow exponentially up to the cap`() {
        val policy = RetryPolicy(maxAttempts = 10, initialDelay = Duration.ofMillis(10), maxDelay = Duration.ofMillis(500))
        val random = Random(1)
        for (attempt in 2..10) {
            val cap = minOf(500L, 10L shl (attempt - 2))
            val delay = policy.delayMillisBefore(attempt, random)
            assertTrue(delay in cap / 2..cap, "attempt $attempt: $delay not in ${cap / 2}..$cap")
        }
    }

    @Test
    fun `bad retry settings and bad versions are refused`() = runTest {
        assertFailsWith<InvalidInputException> { RetryPolicy(maxAttempts = 0) }
        assertFailsWith<InvalidInputException> { RetryPolicy(initialDelay = Duration.ofMillis(10), maxDelay = Duration.ofMillis(1)) }
        assertFailsWith<InvalidInputException> { base.load(TypeId.new("account"), 0) }
        assertFailsWith<InvalidInputException> { Account.restore(TypeId.new("account"), -1, AccountState("x")) }
    }
}
