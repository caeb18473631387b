package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregatestore.RetryPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.error.InvalidInputException;
import dev.estoria.event.Event;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.Bank.Account;
import dev.estoria.facade.Bank.Deposited;
import dev.estoria.facade.Bank.Opened;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.CallContext;
import dev.estoria.java.JavaHooks;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.estoria.facade.Bank.ACCOUNT;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A Java caller's per-request data reaches the hooks of that request and no other: Java hooks run on
 * the facade's executor, where a ThreadLocal set by the request thread is missing or another request's.
 * Many requests race on few accounts through a two-thread executor (conflicts, retries, thread hops);
 * every stored event must carry the correlation id of the request that decided it, both from the call's
 * metadata and from what the before-save hook read with CallContext.current().
 */
class CallContextTest {
    record Request(String correlationId) {}

    private static final int ACCOUNTS = 4;
    private static final int REQUESTS = 48;

    @Test
    void eachRequestsContextReachesItsOwnHooksAndEventsOnAnyExecutorThread() {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        InMemoryEventStore events = new InMemoryEventStore();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT)
                .hooks(JavaHooks.<Account>builder().beforeSave(a -> {
                    Request request = CallContext.current().attachment(Request.class);
                    a.putMetadata("hook_saw", request == null ? "nothing" : request.correlationId());
                }).build())
                .executor(executor)
                .build();
             AsyncEventStore reader = AsyncEventStore.from(events)) {
            List<TypeId> ids = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                Aggregate<Account> account = accounts.create();
                account.append(new Opened("owner" + i));
                get(accounts.save(account, CallContext.of("correlation_id", "open-" + i).attach(Request.class, new Request("open-" + i))));
                ids.add(account.getId());
            }
            // each conflict means another request on that account succeeded, so REQUESTS attempts always suffice
            RetryPolicy enoughRetries = new RetryPolicy(REQUESTS, Duration.ZERO, Duration.ZERO);
            List<CompletableFuture<Aggregate<Account>>> running = new ArrayList<>();
            for (int r = 1; r <= REQUESTS; r++) {
                String correlationId = "request-" + r;
                long amount = r;
                CallContext call = CallContext.of("correlation_id", correlationId).attach(Request.class, new Request(correlationId));
                running.add(accounts.update(ids.get(r % ACCOUNTS), call, enoughRetries, account -> List.of(new Deposited(amount))));
            }
            running.forEach(Futures::get);

            int deposits = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                for (Event event : get(reader.readStreamList(ids.get(i)))) {
                    String expected = event.getStreamVersion() == 1 ? "open-" + i : "request-" + amountOf(event);
                    if (event.getStreamVersion() > 1) deposits++;
                    assertEquals(expected, event.getMetadata().get("correlation_id"), "metadata of " + event);
                    assertEquals(expected, event.getMetadata().get("hook_saw"), "what the hook read for " + event);
                }
            }
            assertEquals(REQUESTS, deposits);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void outsideACallTheCurrentContextIsEmptyAndMetadataIsValidated() {
        assertSame(CallContext.EMPTY, CallContext.current());
        assertNull(CallContext.EMPTY.attachment(Request.class));
        assertEquals(Map.of("a", "1", "b", "2"), CallContext.of("a", "1").withMetadata("b", "2").getMetadata());
        assertThrows(InvalidInputException.class, () -> CallContext.of(" ", "x"));
        assertThrows(InvalidInputException.class, () -> CallContext.of("estoria.id", "x"));
    }

    private static long amountOf(Event event) {
        return Long.parseLong(new String(event.getData(), StandardCharsets.UTF_8).replaceAll("[^0-9]", ""));
    }
}
