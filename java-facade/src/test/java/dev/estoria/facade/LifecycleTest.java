package dev.estoria.facade;

import dev.estoria.async.AsyncEventStore;
import dev.estoria.event.AppendResult;
import dev.estoria.event.Event;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.support.HangingEventStore;
import dev.estoria.id.TypeId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancellation and close: a future or subscription cancelled from Java cancels the coroutine underneath. */
class LifecycleTest {
    private static final TypeId STREAM = TypeId.create("account");

    private static List<WritableEvent> oneEvent() {
        return List.of(WritableEvent.of("noted", new byte[] {1}));
    }

    @Test
    void cancellingTheFutureCancelsTheUnderlyingCoroutine() throws Exception {
        HangingEventStore hanging = new HangingEventStore();
        try (AsyncEventStore store = AsyncEventStore.from(hanging)) {
            CompletableFuture<AppendResult> append = store.appendStream(STREAM, oneEvent());
            assertTrue(hanging.getStarted().await(5, TimeUnit.SECONDS), "the append started");
            assertTrue(append.cancel(true));
            assertTrue(hanging.getCancelled().await(5, TimeUnit.SECONDS), "the coroutine saw the cancellation");
            assertTrue(append.isCancelled());
        }
    }

    @Test
    void closingTheFacadeCancelsRunningOperationsAndRefusesNewOnes() throws Exception {
        HangingEventStore hanging = new HangingEventStore();
        AsyncEventStore store = AsyncEventStore.from(hanging);
        CompletableFuture<AppendResult> append = store.appendStream(STREAM, oneEvent());
        assertTrue(hanging.getStarted().await(5, TimeUnit.SECONDS));
        store.close();
        assertTrue(hanging.getCancelled().await(5, TimeUnit.SECONDS), "close cancelled the running append");
        CancellationException cancelled = assertThrows(CancellationException.class, () -> append.get(5, TimeUnit.SECONDS));
        assertTrue(cancelled.getMessage().contains("closed"), cancelled.getMessage());
        assertTrue(store.isClosed());

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> store.appendStream(STREAM, oneEvent()).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        ExecutionException refusedRead = assertThrows(ExecutionException.class,
            () -> Subscribers.collect(store.readStream(STREAM)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refusedRead.getCause());
        store.close(); // idempotent
    }

    @Test
    void cancellingASubscriptionStopsTheRead() throws Exception {
        HangingEventStore hanging = new HangingEventStore();
        try (AsyncEventStore store = AsyncEventStore.from(hanging)) {
            Subscribers.OneByOne<Event> subscriber = new Subscribers.OneByOne<>();
            store.readStream(STREAM).subscribe(subscriber);
            assertTrue(hanging.getStarted().await(5, TimeUnit.SECONDS));
            while (subscriber.items.size() < 3) Thread.sleep(5);
            subscriber.subscription.cancel();
            assertTrue(hanging.getCancelled().await(5, TimeUnit.SECONDS), "the flow collection was cancelled");
            int seen = hanging.getEmitted().get();
            Thread.sleep(100);
            assertEquals(seen, hanging.getEmitted().get(), "no event is read after the cancellation");
        }
    }

    @Test
    void closingTheFacadeCancelsActiveSubscriptions() throws Exception {
        HangingEventStore hanging = new HangingEventStore();
        AsyncEventStore store = AsyncEventStore.from(hanging);
        Subscribers.OneByOne<Event> subscriber = new Subscribers.OneByOne<>();
        store.readStream(STREAM).subscribe(subscriber);
        assertTrue(hanging.getStarted().await(5, TimeUnit.SECONDS));
        store.close();
        assertTrue(hanging.getCancelled().await(5, TimeUnit.SECONDS), "close cancelled the subscription's collection");
        // the subscriber is told with onError(CancellationException) naming the closed facade
        CancellationException ended = assertThrows(CancellationException.class, () -> subscriber.done.get(5, TimeUnit.SECONDS));
        assertTrue(ended.getMessage().contains("closed"), ended.getMessage());
    }

    @Test
    void closingOneFacadeLeavesOthersOnTheSameStoreWorking() {
        InMemoryEventStore shared = new InMemoryEventStore();
        AsyncEventStore first = AsyncEventStore.from(shared);
        try (AsyncEventStore second = AsyncEventStore.from(shared)) {
            first.close();
            assertEquals(1L, Futures.get(second.appendStream(TypeId.create("account"), oneEvent())).getNextExpectedVersion());
        }
    }
}
