package dev.estoria.kurrent;

import dev.estoria.async.AsyncEventStore;
import dev.estoria.error.AppendOutcomeUnknownException;
import dev.estoria.error.StreamNotFoundException;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.event.AppendResult;
import dev.estoria.event.Event;
import dev.estoria.event.ExpectedVersion;
import dev.estoria.event.ReadOptions;
import dev.estoria.event.WritableEvent;
import dev.estoria.id.TypeId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Kurrent store's mapping layer seen from Java through the facade, over the fake client. */
class KurrentFacadeTest {
    private static WritableEvent event(int n) {
        return WritableEvent.builder("deposited", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
            .contentType("application/vnd.bank+json")
            .metadata("source", "java")
            .build();
    }

    private static Throwable cause(java.util.concurrent.CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void appendsReadsAndMapsErrors() throws Exception {
        AsyncEventStore store = AsyncEventStore.from(FakeKurrentStores.store(new KurrentStoreOptions("bank")));
        TypeId account = TypeId.create("account");

        AppendResult first = store.appendStream(account, List.of(event(1), event(2)), ExpectedVersion.noStream()).get(10, TimeUnit.SECONDS);
        assertEquals(2, first.getNextExpectedVersion());
        List<Event> read = store.readStreamList(account, ReadOptions.FORWARD).get(10, TimeUnit.SECONDS);
        assertEquals(first.getEvents(), read);
        assertEquals("application/vnd.bank+json", read.get(0).getContentType());
        assertEquals(Map.of("source", "java"), read.get(0).getMetadata());

        StreamVersionConflictException conflict = assertInstanceOf(StreamVersionConflictException.class,
            cause(store.appendStream(account, List.of(event(3)), ExpectedVersion.exact(1))));
        assertEquals(2, conflict.getActual());
        assertInstanceOf(StreamNotFoundException.class, cause(store.readStreamList(TypeId.create("account"), ReadOptions.FORWARD)));
    }

    @Test
    void aLostReplyIsAppendOutcomeUnknownWithTheClientCause() {
        IllegalStateException lost = new IllegalStateException("reply lost");
        AsyncEventStore store = AsyncEventStore.from(FakeKurrentStores.failingOnce(lost, true));
        Throwable failure = cause(store.appendStream(TypeId.create("account"), List.of(event(1)), ExpectedVersion.any()));
        assertSame(lost, assertInstanceOf(AppendOutcomeUnknownException.class, failure).getCause());
    }
}
