package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncCheckpointStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncSnapshotStore;
import dev.estoria.cache.memory.InMemoryAggregateCache;
import dev.estoria.error.AggregateNotFoundException;
import dev.estoria.error.StreamNotFoundException;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.event.AppendResult;
import dev.estoria.event.Event;
import dev.estoria.event.ExpectedVersion;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.EventStore;
import dev.estoria.facade.Bank.Account;
import dev.estoria.facade.Bank.Deposited;
import dev.estoria.facade.Bank.Opened;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.JavaHooks;
import dev.estoria.projection.CheckpointStore;
import dev.estoria.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static dev.estoria.facade.Bank.ACCOUNT;
import static dev.estoria.facade.Futures.failure;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java surface on a real database: what a Java service on SQLite or PostgreSQL sees. */
abstract class JdbcBackendsContract {
    protected abstract EventStore eventStore();

    protected abstract SnapshotStore snapshotStore();

    protected abstract CheckpointStore checkpointStore();

    private static List<WritableEvent> events(int n) {
        return IntStream.rangeClosed(1, n)
            .mapToObj(i -> WritableEvent.of("noted", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void everyExpectedVersionModeAndConflictsWithTheirCause() {
        try (AsyncEventStore store = AsyncEventStore.from(eventStore())) {
            TypeId id = TypeId.create("account");
            AppendResult created = get(store.appendStream(id, events(2), ExpectedVersion.noStream()));
            assertEquals(2L, created.getNextExpectedVersion());
            assertEquals(created.getEvents(), get(store.readStreamList(id)), "append returns what a read returns");
            failure(store.appendStream(id, events(1), ExpectedVersion.noStream()), StreamVersionConflictException.class);
            assertEquals(3L, get(store.appendStream(id, events(1), ExpectedVersion.streamExists())).getNextExpectedVersion());
            assertEquals(4L, get(store.appendStream(id, events(1), ExpectedVersion.exact(3))).getNextExpectedVersion());
            StreamVersionConflictException stale = failure(store.appendStream(id, events(1), ExpectedVersion.exact(3)), StreamVersionConflictException.class);
            assertEquals(4L, stale.getActual());
            assertEquals(5L, get(store.appendStream(id, events(1), ExpectedVersion.any())).getNextExpectedVersion());
            failure(store.appendStream(TypeId.create("account"), events(1), ExpectedVersion.streamExists()), StreamVersionConflictException.class);
            assertEquals(5, Subscribers.await(store.readStream(id)).size());
            failure(store.readStreamList(TypeId.create("account")), StreamNotFoundException.class);
        }
    }

    @Test
    void globalReadsAndDeletesThroughTheViews() {
        try (AsyncEventStore store = AsyncEventStore.from(eventStore())) {
            TypeId id = TypeId.create("account");
            long head = get(store.globalReader().orElseThrow().headPosition());
            get(store.appendStream(id, events(3)));
            List<Event> after = Subscribers.await(store.globalReader().orElseThrow().readAll(head));
            assertTrue(after.stream().filter(e -> e.getStreamId().equals(id)).count() == 3, "the 3 new events are in the global order");
            get(store.streamDeleter().orElseThrow().delete(id, 2));
            assertEquals(List.of(3L), get(store.readStreamList(id)).stream().map(Event::getStreamVersion).toList());
            get(store.streamDeleter().orElseThrow().delete(id));
            failure(store.readStreamList(id), StreamNotFoundException.class);
        }
    }

    @Test
    void theJavaStackSnapshotsAndUpdatesOnTheDatabase() {
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(eventStore(), ACCOUNT)
                .snapshots(snapshotStore(), SnapshotPolicy.everyNEvents(2))
                .cache(new InMemoryAggregateCache<>())
                .hooks(JavaHooks.<Account>builder().beforeSave(a -> a.putMetadata("tenant", "acme")).build())
                .build();
             AsyncSnapshotStore snapshots = AsyncSnapshotStore.from(snapshotStore());
             AsyncEventStore events = AsyncEventStore.from(eventStore())) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"), new Deposited(10));
            get(accounts.save(account));
            get(accounts.update(account.getId(), a -> List.of(new Deposited(5), new Deposited(1))));
            assertEquals(16L, get(accounts.load(account.getId())).getState().balance());
            assertEquals(4L, get(snapshots.read(account.getId())).orElseThrow().getVersion());
            assertEquals(10L, get(accounts.load(account.getId(), 2)).getState().balance());
            assertTrue(get(events.readStreamList(account.getId())).stream().allMatch(e -> "acme".equals(e.getMetadata().get("tenant"))));
            failure(accounts.load(ACCOUNT.newId()), AggregateNotFoundException.class);
        }
    }

    @Test
    void aFailingHookAbortsTheSaveAndWritesNothing() {
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(eventStore(), ACCOUNT)
                .snapshots(snapshotStore(), SnapshotPolicy.everyNEvents(1))
                .hooks(JavaHooks.<Account>builder().beforeSave(a -> {
                    if (a.getState().balance() > 100) throw new IllegalStateException("over the limit");
                }).build())
                .build();
             AsyncEventStore events = AsyncEventStore.from(eventStore())) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"), new Deposited(10));
            get(accounts.save(account));
            Aggregate<Account> loaded = get(accounts.load(account.getId()));
            loaded.append(new Deposited(500));
            IllegalStateException refused = failure(accounts.save(loaded), IllegalStateException.class);
            assertEquals("over the limit", refused.getMessage());
            assertEquals(2, get(events.readStreamList(account.getId())).size(), "nothing written");
            assertEquals(10L, get(accounts.load(account.getId())).getState().balance());
        }
    }

    @Test
    void checkpointsAreOptionalLongs() {
        try (AsyncCheckpointStore checkpoints = AsyncCheckpointStore.from(checkpointStore())) {
            String name = "projection-" + TypeId.create("p").getUuid();
            assertEquals(OptionalLong.empty(), get(checkpoints.load(name)));
            get(checkpoints.save(name, 42));
            assertEquals(OptionalLong.of(42), get(checkpoints.load(name)));
        }
    }
}
