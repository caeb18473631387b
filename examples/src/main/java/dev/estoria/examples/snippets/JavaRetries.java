// Shown in docs/errors.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregatestore.RetryPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.id.TypeId;
import dev.estoria.java.CallContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

public class JavaRetries {
    record Account(String id, long balance) {}
    record Deposited(long amount) {}

    // 10 attempts, 20 ms doubling up to 1 s, with full jitter (RetryPolicy.DEFAULT: 5, 10 ms, 500 ms)
    static final RetryPolicy PATIENT = new RetryPolicy(10, Duration.ofMillis(20), Duration.ofSeconds(1));

    static CompletableFuture<Aggregate<Account>> deposit(AsyncAggregateStore<Account> accounts, TypeId id, String requestId) {
        CallContext context = CallContext.of("correlation_id", requestId);   // metadata on every event this call saves
        return accounts.update(id, context, PATIENT, a -> List.of(new Deposited(10)))
            .whenComplete((saved, t) -> {
                Throwable cause = t instanceof CompletionException ? t.getCause() : t;
                if (cause instanceof StreamVersionConflictException conflict) {
                    // the retries ran out: conflict.getAttempts() attempts, the last one's conflict as getCause()
                    System.err.println(id + ": gave up after " + conflict.getAttempts() + " attempts");
                }
            });
    }
}
