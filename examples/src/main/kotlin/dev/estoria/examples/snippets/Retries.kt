// Shown in docs/errors.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.aggregatestore.update
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.examples.quickstart.Account
import dev.estoria.examples.quickstart.Deposited
import dev.estoria.id.TypeId
import java.time.Duration

// 10 attempts, 20 ms doubling up to 1 s, with full jitter (RetryPolicy.DEFAULT: 5, 10 ms, 500 ms)
val Patient = RetryPolicy(maxAttempts = 10, initialDelay = Duration.ofMillis(20), maxDelay = Duration.ofSeconds(1))

suspend fun deposit(accounts: AggregateStore<Account>, id: TypeId, amount: Long) {
    try {
        accounts.update(id, Patient) { state -> listOf(Deposited(amount)) }
    } catch (e: StreamVersionConflictException) {
        // the retries ran out: e.attempts attempts, the last one's conflict as e.cause
        println("$id: gave up after ${e.attempts} attempts")
    }
}
