package dev.estoria.facade;

import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncGlobalReader;
import dev.estoria.async.AsyncStreamDeleter;
import dev.estoria.error.DuplicateEventException;
import dev.estoria.error.InvalidInputException;
import dev.estoria.error.StreamNotFoundException;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.event.AppendResult;
import dev.estoria.event.Event;
import dev.estoria.event.ExpectedVersion;
import dev.estoria.event.ReadDirection;
import dev.estoria.event.ReadOptions;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.support.PlainEventStore;
import dev.estoria.id.TypeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static dev.estoria.facade.Futures.failure;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncEventStoreTest {
    private final AsyncEventStore store = AsyncEventStore.from(new InMemoryEventStore());

    @AfterEach
    void close() {
        store.close();
    }

    private static TypeId newStream() {
        return TypeId.create("account");
    }

    private static WritableEvent event(String text) {
        return WritableEvent.of("noted", text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<WritableEvent> events(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> event("e" + i)).toList();
    }

    private static List<Long> versions(List<Event> events) {
        return events.stream().map(Event::getStreamVersion).toList();
    }

    @Test
    void appendThenReadReturnsTheStoredEvents() {
        TypeId id = newStream();
        WritableEvent written = WritableEvent.builder("noted", "hello".getBytes(StandardCharsets.UTF_8))
            .contentType("text/plain").metadata("who", "java").build();
        AppendResult result = get(store.appendStream(id, List.of(written)));
        assertEquals(1L, result.getNextExpectedVersion());
        List<Event> read = get(store.readStreamList(id));
        assertEquals(result.getEvents(), read);
        Event event = read.get(0);
        assertEquals(written.getId(), event.getId());
        assertEquals("text/plain", event.getContentType());
        assertEquals("java", event.getMetadata().get("who"));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), event.getData());
        assertEquals(read, Subscribers.await(store.readStream(id)));
        assertThrows(UnsupportedOperationException.class, () -> read.add(event), "the list is immutable");
    }

    @Test
    void expectedVersionAnyAppendsWhateverTheStream() {
        TypeId id = newStream();
        get(store.appendStream(id, events(2), ExpectedVersion.any()));
        assertEquals(4L, get(store.appendStream(id, events(2), ExpectedVersion.any())).getNextExpectedVersion());
    }

    @Test
    void expectedVersionNoStreamCreatesOnceThenConflicts() {
        TypeId id = newStream();
        assertEquals(2L, get(store.appendStream(id, events(2), ExpectedVersion.noStream())).getNextExpectedVersion());
        StreamVersionConflictException conflict = failure(store.appendStream(id, events(1), ExpectedVersion.noStream()), StreamVersionConflictException.class);
        assertEquals(id, conflict.getStreamId());
        assertEquals(ExpectedVersion.noStream(), conflict.getExpected());
        assertEquals(2L, conflict.getActual());
        assertEquals(2, get(store.readStreamList(id)).size(), "a conflict writes nothing");
    }

    @Test
    void expectedVersionStreamExistsNeedsAnExistingStream() {
        TypeId id = newStream();
        StreamVersionConflictException conflict = failure(store.appendStream(id, events(1), ExpectedVersion.streamExists()), StreamVersionConflictException.class);
        assertEquals(0L, conflict.getActual());
        failure(store.readStreamList(id), StreamNotFoundException.class);
        get(store.appendStream(id, events(1)));
        assertEquals(2L, get(store.appendStream(id, events(1), ExpectedVersion.streamExists())).getNextExpectedVersion());
    }

    @Test
    void expectedVersionExactMatchesTheCurrentVersionOnly() {
        TypeId id = newStream();
        assertEquals(2L, get(store.appendStream(id, events(2), ExpectedVersion.exact(0))).getNextExpectedVersion());
        assertEquals(3L, get(store.appendStream(id, events(1), ExpectedVersion.exact(2))).getNextExpectedVersion());
        StreamVersionConflictException stale = failure(store.appendStream(id, events(1), ExpectedVersion.exact(2)), StreamVersionConflictException.class);
        assertEquals(ExpectedVersion.exact(2), stale.getExpected());
        assertEquals(3L, stale.getActual());
        failure(store.appendStream(id, events(1), ExpectedVersion.exact(7)), StreamVersionConflictException.class);
        assertEquals(List.of(1L, 2L, 3L), versions(get(store.readStreamList(id))));
    }

    @Test
    void joinThrowsCompletionExceptionCarryingTheTypedFailure() {
        TypeId id = newStream();
        get(store.appendStream(id, events(1)));
        CompletionException thrown = assertThrows(CompletionException.class,
            () -> store.appendStream(id, events(1), ExpectedVersion.noStream()).join());
        assertInstanceOf(StreamVersionConflictException.class, thrown.getCause());
    }

    @Test
    void emptyAppendIsANoOpThatCreatesNoStream() {
        TypeId id = newStream();
        AppendResult result = get(store.appendStream(id, List.of(), ExpectedVersion.noStream()));
        assertEquals(0L, result.getNextExpectedVersion());
        failure(store.readStreamList(id), StreamNotFoundException.class);
    }

    @Test
    void retryingTheSameBatchReturnsTheOriginalResult() {
        TypeId id = newStream();
        List<WritableEvent> batch = events(2);
        AppendResult first = get(store.appendStream(id, batch, ExpectedVersion.noStream()));
        AppendResult retried = get(store.appendStream(id, batch, ExpectedVersion.noStream()));
        assertEquals(first, retried);
        assertEquals(2, get(store.readStreamList(id)).size());
        WritableEvent reused = WritableEvent.of("noted", new byte[] {9}, "application/json", java.util.Map.of(), batch.get(0).getId());
        failure(store.appendStream(newStream(), List.of(reused)), DuplicateEventException.class);
    }

    @Test
    void invalidInputFailsTheFuture() {
        TypeId id = newStream();
        WritableEvent e = event("x");
        failure(store.appendStream(id, List.of(e, e)), InvalidInputException.class);
    }

    @Test
    void readOptionsSelectDirectionStartAndCount() {
        TypeId id = newStream();
        get(store.appendStream(id, events(5)));
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), versions(get(store.readStreamList(id, ReadOptions.BACKWARD))));
        assertEquals(List.of(2L, 3L), versions(Subscribers.await(store.readStream(id, new ReadOptions(2L, ReadDirection.FORWARD, 2)))));
        assertEquals(List.of(3L, 2L, 1L), versions(get(store.readStreamList(id, new ReadOptions(3L, ReadDirection.BACKWARD)))));
        assertEquals(List.of(), get(store.readStreamList(id, new ReadOptions(9L))), "past the end is empty");
    }

    @Test
    void readingANeverWrittenStreamFailsWithStreamNotFound() {
        TypeId id = newStream();
        StreamNotFoundException notFound = failure(Subscribers.collect(store.readStream(id)), StreamNotFoundException.class);
        assertEquals(id, notFound.getStreamId());
        failure(store.readStreamList(id), StreamNotFoundException.class);
    }

    @Test
    void publisherHonoursBackPressureOneByOne() throws Exception {
        TypeId id = newStream();
        get(store.appendStream(id, events(20)));
        Subscribers.OneByOne<Event> subscriber = new Subscribers.OneByOne<>();
        store.readStream(id).subscribe(subscriber);
        subscriber.done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(LongListOf(1, 20), versions(subscriber.items));
    }

    private static List<Long> LongListOf(int from, int to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void publisherIsColdAndReadsAfreshOnEverySubscription() {
        TypeId id = newStream();
        get(store.appendStream(id, events(1)));
        var publisher = store.readStream(id);
        assertEquals(1, Subscribers.await(publisher).size());
        get(store.appendStream(id, events(1)));
        assertEquals(2, Subscribers.await(publisher).size());
    }

    @Test
    void globalReaderReadsEveryStreamInPositionOrder() {
        AsyncGlobalReader reader = store.globalReader().orElseThrow();
        assertTrue(store.supportsGlobalRead());
        long head = get(reader.headPosition());
        TypeId a = newStream();
        TypeId b = newStream();
        get(store.appendStream(a, events(2)));
        get(store.appendStream(b, events(1)));
        List<Event> all = Subscribers.await(reader.readAll(head));
        assertEquals(3, all.size());
        assertEquals(List.of(a, a, b), all.stream().map(Event::getStreamId).toList());
        long last = all.get(2).getGlobalPosition();
        assertEquals(last, get(reader.headPosition()));
        assertEquals(all.subList(0, 2), Subscribers.await(reader.readAll(head, 2)));
        assertEquals(List.of(), Subscribers.await(reader.readAll(last)));
        assertTrue(Subscribers.await(reader.readAll()).size() >= 3);
    }

    @Test
    void deleterDeletesAndTruncates() {
        AsyncStreamDeleter deleter = store.streamDeleter().orElseThrow();
        assertTrue(store.supportsDelete());
        TypeId id = newStream();
        get(store.appendStream(id, events(3)));
        get(deleter.delete(id, 2));
        assertEquals(List.of(3L), versions(get(store.readStreamList(id))));
        assertEquals(4L, get(store.appendStream(id, events(1), ExpectedVersion.exact(3))).getNextExpectedVersion());
        get(deleter.delete(id));
        failure(store.readStreamList(id), StreamNotFoundException.class);
        assertEquals(1L, get(store.appendStream(id, events(1), ExpectedVersion.noStream())).getNextExpectedVersion());
        failure(deleter.delete(newStream()), StreamNotFoundException.class);
    }

    @Test
    void capabilitiesAreAbsentWhenTheStoreLacksThem() {
        try (AsyncEventStore plain = AsyncEventStore.from(new PlainEventStore(new InMemoryEventStore()))) {
            assertFalse(plain.supportsGlobalRead());
            assertFalse(plain.supportsDelete());
            assertTrue(plain.globalReader().isEmpty());
            assertTrue(plain.streamDeleter().isEmpty());
            TypeId id = newStream();
            get(plain.appendStream(id, events(1)));
            assertEquals(1, get(plain.readStreamList(id)).size());
        }
    }

    @Test
    void operationsRunOnTheGivenExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "facade-test-executor"));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (AsyncEventStore onExecutor = AsyncEventStore.from(new InMemoryEventStore(), executor)) {
            executor.execute(() -> {
                try { release.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            });
            TypeId id = newStream();
            var append = onExecutor.appendStream(id, events(1));
            Thread.sleep(100);
            assertFalse(append.isDone(), "the append waits for the busy executor");
            release.countDown();
            assertEquals(1L, get(append).getNextExpectedVersion());
            assertEquals(1, Subscribers.await(onExecutor.readStream(id)).size());
        }
        assertFalse(executor.isShutdown(), "closing the facade never shuts down the caller's executor");
        executor.shutdown();
    }

    @Test
    void callersObjectsAreNotMutated() {
        TypeId id = newStream();
        byte[] payload = {1, 2, 3};
        WritableEvent e = WritableEvent.of("noted", payload);
        List<WritableEvent> batch = new java.util.ArrayList<>(List.of(e));
        get(store.appendStream(id, batch));
        payload[0] = 42;
        assertEquals(1, batch.size());
        assertSame(e, batch.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, get(store.readStreamList(id)).get(0).getData());
    }
}
