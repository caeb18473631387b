package dev.estoria.mongo;

import com.mongodb.kotlin.client.coroutine.MongoDatabase;
import dev.estoria.async.AsyncCheckpointStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncSnapshotStore;
import dev.estoria.error.DuplicateEventException;
import dev.estoria.error.StreamNotFoundException;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.event.AppendResult;
import dev.estoria.event.Event;
import dev.estoria.event.ExpectedVersion;
import dev.estoria.event.WritableEvent;
import dev.estoria.id.TypeId;
import dev.estoria.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Java facade over the Mongo stores: what a Java service on MongoDB sees, in both layouts. */
class MongoFacadeTest {
    private static List<WritableEvent> events(int n) {
        return IntStream.rangeClosed(1, n)
            .mapToObj(i -> WritableEvent.of("noted", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed", e);
        }
    }

    private static <E extends Throwable> E failure(CompletableFuture<?> future, Class<E> type) {
        try {
            Object value = future.get(30, TimeUnit.SECONDS);
            return fail("expected " + type.getSimpleName() + " but got " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Event> collect(Flow.Publisher<Event> publisher) {
        CompletableFuture<List<Event>> done = new CompletableFuture<>();
        List<Event> out = new ArrayList<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
            @Override public void onNext(Event item) { out.add(item); }
            @Override public void onError(Throwable t) { done.completeExceptionally(t); }
            @Override public void onComplete() { done.complete(out); }
        });
        return get(done);
    }

    private static void exercise(MongoDatabase database, MongoStoreOptions options) {
        MongoEventStore mongo = new MongoEventStore(database, options);
        try (AsyncEventStore store = AsyncEventStore.from(mongo);
             AsyncSnapshotStore snapshots = AsyncSnapshotStore.from(new MongoSnapshotStore(database, options));
             AsyncCheckpointStore checkpoints = AsyncCheckpointStore.from(new MongoCheckpointStore(database, options))) {
            TypeId id = TypeId.create("account");
            long head = get(store.globalReader().orElseThrow().headPosition());
            AppendResult created = get(store.appendStream(id, events(2), ExpectedVersion.noStream()));
            assertEquals(created.getEvents(), get(store.readStreamList(id)), "append returns what a read returns");
            failure(store.appendStream(id, events(1), ExpectedVersion.noStream()), StreamVersionConflictException.class);
            assertEquals(created, get(store.appendStream(id, created.getEvents().stream()
                .map(e -> WritableEvent.of(e.getType(), e.getData(), e.getContentType(), e.getMetadata(), e.getId())).toList(),
                ExpectedVersion.noStream())), "an idempotent retry returns the original result");
            failure(store.appendStream(TypeId.create("account"), List.of(WritableEvent.of("noted", new byte[] {1}, "", java.util.Map.of(),
                created.getEvents().get(0).getId())), ExpectedVersion.any()), DuplicateEventException.class);
            assertEquals(3L, get(store.appendStream(id, events(1), ExpectedVersion.exact(2))).getNextExpectedVersion());

            List<Event> all = collect(store.globalReader().orElseThrow().readAll(head));
            assertEquals(get(store.readStreamList(id)), all.stream().filter(e -> e.getStreamId().equals(id)).toList());

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            get(snapshots.write(new Snapshot(id, 3, new byte[] {7}, "application/octet-stream", now)));
            assertEquals(3L, get(snapshots.read(id)).orElseThrow().getVersion());

            get(store.streamDeleter().orElseThrow().delete(id, 2));
            assertEquals(List.of(3L), get(store.readStreamList(id)).stream().map(Event::getStreamVersion).toList());
            get(store.streamDeleter().orElseThrow().delete(id));
            failure(store.readStreamList(id), StreamNotFoundException.class);
            assertEquals(Optional.empty(), get(snapshots.read(id)), "deleting a stream deletes its snapshots");

            String name = "projection-" + TypeId.create("p").getUuid();
            assertEquals(OptionalLong.empty(), get(checkpoints.load(name)));
            get(checkpoints.save(name, 42));
            assertEquals(OptionalLong.of(42), get(checkpoints.load(name)));
        }
    }

    @Test
    void theFacadeCoversTheMongoStoresInTheSingleCollectionLayout() {
        exercise(MongoTestServer.INSTANCE.database("java"), MongoStoreOptions.DEFAULT);
    }

    @Test
    void theFacadeCoversTheMongoStoresInThePerTypeLayout() {
        MongoStoreOptions perType = MongoStoreOptions.builder().layout(MongoLayout.COLLECTION_PER_TYPE).build();
        assertTrue(perType.getLayout() == MongoLayout.COLLECTION_PER_TYPE);
        exercise(MongoTestServer.INSTANCE.database("javapertype"), perType);
    }
}
