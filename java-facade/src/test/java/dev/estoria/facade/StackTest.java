package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregatestore.AggregateStore;
import dev.estoria.aggregatestore.hooks.AggregateHooks;
import dev.estoria.aggregatestore.hooks.HookableAggregateStore;
import dev.estoria.aggregatestore.EventSourcedAggregateStore;
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy;
import dev.estoria.async.AsyncAggregateCache;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncSnapshotStore;
import dev.estoria.cache.CachedState;
import dev.estoria.cache.memory.InMemoryAggregateCache;
import dev.estoria.error.EventsAppendedButSaveFailedException;
import dev.estoria.event.Event;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.Bank.Account;
import dev.estoria.facade.Bank.Deposited;
import dev.estoria.facade.Bank.Opened;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.JavaHooks;
import dev.estoria.snapshot.Snapshot;
import dev.estoria.snapshot.memory.InMemorySnapshotStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.estoria.facade.Bank.ACCOUNT;
import static dev.estoria.facade.Futures.failure;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshotting, caching and hooks stacked from Java with AggregateStack and JavaHooks. */
class StackTest {
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final AsyncEventStore asyncEvents = AsyncEventStore.from(events);

    private TypeId openWith(AsyncAggregateStore<Account> store, long... deposits) {
        Aggregate<Account> account = store.create();
        account.append(new Opened("ada"));
        for (long d : deposits) account.append(new Deposited(d));
        get(store.save(account));
        return account.getId();
    }

    @Test
    void snapshotsAreTakenByPolicyAndLoadsStartFromThem() {
        InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
        AsyncSnapshotStore asyncSnapshots = AsyncSnapshotStore.from(snapshots);
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT)
            .snapshots(snapshots, SnapshotPolicy.everyNEvents(3))
            .build()) {
            TypeId id = openWith(accounts, 1);
            assertEquals(Optional.empty(), get(asyncSnapshots.read(id)), "2 events: no snapshot yet");
            get(accounts.update(id, a -> List.of(new Deposited(2))));
            Snapshot snapshot = get(asyncSnapshots.read(id)).orElseThrow();
            assertEquals(3L, snapshot.getVersion());
            assertEquals("application/json", snapshot.getContentType());

            // A load from the snapshot needs only the events after it: prove it by overwriting the snapshot
            // with a different state at the same version; the load then reflects the snapshot, not a replay.
            Account doctored = new Account(id.toString(), "from-snapshot", 1_000);
            byte[] data = ACCOUNT.getStateCodec().encode(doctored);
            get(asyncSnapshots.write(new Snapshot(id, 3, data, "application/json", snapshot.getTimestamp(), snapshot.getLastEventId())));
            get(accounts.update(id, a -> List.of(new Deposited(4))));
            Aggregate<Account> loaded = get(accounts.load(id));
            assertEquals(new Account(id.toString(), "from-snapshot", 1_004), loaded.getState());
            assertEquals(4L, loaded.getVersion());
        }
    }

    @Test
    void anUndecodableSnapshotFallsBackToAFullReplay() {
        InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT)
            .snapshots(snapshots, SnapshotPolicy.NEVER)
            .build()) {
            TypeId id = openWith(accounts, 5);
            get(AsyncSnapshotStore.from(snapshots).write(new Snapshot(id, 2, "not json".getBytes(StandardCharsets.UTF_8), "application/json", java.time.Instant.now())));
            assertEquals(5L, get(accounts.load(id)).getState().balance());
        }
    }

    @Test
    void savesAndLoadsFillTheCacheWhichNeverGoesBackwards() {
        InMemoryAggregateCache<Account> cache = new InMemoryAggregateCache<>();
        AsyncAggregateCache<Account> asyncCache = AsyncAggregateCache.from(cache);
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).cache(cache).build()) {
            TypeId id = openWith(accounts, 7);
            CachedState<Account> cached = get(asyncCache.get(id)).orElseThrow();
            assertEquals(2L, cached.getVersion());
            assertEquals(7L, cached.getState().balance());

            // a write made elsewhere (directly on the event store) is picked up by the refresh on hit
            get(asyncEvents.appendStream(id, List.of(WritableEvent.of("deposited", "{\"amount\":3}".getBytes(StandardCharsets.UTF_8)))));
            assertEquals(10L, get(accounts.load(id)).getState().balance());
            assertEquals(3L, get(asyncCache.get(id)).orElseThrow().getVersion());

            get(asyncCache.put(id, 1, new Account(id.toString(), "old", 0)));
            assertEquals(3L, get(asyncCache.get(id)).orElseThrow().getVersion(), "the cache never goes backwards");
            get(asyncCache.invalidate(id));
            assertEquals(Optional.empty(), get(asyncCache.get(id)));
            assertEquals(10L, get(accounts.load(id)).getState().balance());
        }
    }

    @Test
    void withoutRefreshAHitIsReturnedAsCached() {
        InMemoryAggregateCache<Account> cache = new InMemoryAggregateCache<>();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).cache(cache, false).build()) {
            TypeId id = openWith(accounts, 7);
            get(asyncEvents.appendStream(id, List.of(WritableEvent.of("deposited", "{\"amount\":3}".getBytes(StandardCharsets.UTF_8)))));
            assertEquals(7L, get(accounts.load(id)).getState().balance());
        }
    }

    @Test
    void hooksRunInOrderAroundEveryOperation() {
        List<String> calls = new CopyOnWriteArrayList<>();
        AggregateHooks<Account> hooks = JavaHooks.<Account>builder()
            .beforeLoad(id -> calls.add("beforeLoad"))
            .beforeLoadAsync(id -> CompletableFuture.runAsync(() -> calls.add("beforeLoadAsync")))
            .afterLoad(a -> calls.add("afterLoad@" + a.getVersion()))
            .beforeHydrate(a -> calls.add("beforeHydrate"))
            .afterHydrateAsync(a -> CompletableFuture.runAsync(() -> calls.add("afterHydrateAsync")))
            .beforeSave(a -> a.putMetadata("tenant", "acme"))
            .beforeSaveAsync(a -> CompletableFuture.runAsync(() -> calls.add("beforeSaveAsync")))
            .afterSave(a -> calls.add("afterSave@" + a.getVersion()))
            .build();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).hooks(hooks).build()) {
            TypeId id = openWith(accounts, 1);
            assertEquals(List.of("beforeSaveAsync", "afterSave@2"), calls);
            calls.clear();
            Aggregate<Account> loaded = get(accounts.load(id));
            assertEquals(List.of("beforeLoad", "beforeLoadAsync", "afterLoad@2"), calls);
            calls.clear();
            get(accounts.hydrate(loaded));
            assertEquals(List.of("beforeHydrate", "afterHydrateAsync"), calls);
            List<Event> stored = get(asyncEvents.readStreamList(id));
            assertTrue(stored.stream().allMatch(e -> "acme".equals(e.getMetadata().get("tenant"))), "before-save metadata is stored");
        }
    }

    @Test
    void aFailingBeforeSaveHookAbortsAndWritesNothing() {
        IllegalStateException refusal = new IllegalStateException("refused by policy");
        AggregateHooks<Account> hooks = JavaHooks.<Account>builder().beforeSave(a -> { throw refusal; }).build();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).hooks(hooks).build()) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"));
            IllegalStateException thrown = failure(accounts.save(account), IllegalStateException.class);
            assertEquals(refusal, thrown);
            failure(asyncEvents.readStreamList(account.getId()), dev.estoria.error.StreamNotFoundException.class);
        }
    }

    @Test
    void aFailedAsyncBeforeLoadHookFailsTheLoadWithItsOwnException() {
        AggregateHooks<Account> hooks = JavaHooks.<Account>builder()
            .beforeLoadAsync(id -> CompletableFuture.failedFuture(new SecurityException("no access to " + id)))
            .build();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).hooks(hooks).build()) {
            failure(accounts.load(ACCOUNT.newId()), SecurityException.class);
        }
    }

    @Test
    void aFailingAfterSaveHookSurfacesAsEventsAppendedButSaveFailed() {
        RuntimeException boom = new RuntimeException("outbox down");
        AggregateHooks<Account> hooks = JavaHooks.<Account>builder()
            .afterSaveAsync(a -> CompletableFuture.failedFuture(boom))
            .build();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT).hooks(hooks).build()) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"));
            EventsAppendedButSaveFailedException failed = failure(accounts.save(account), EventsAppendedButSaveFailedException.class);
            assertEquals(1L, failed.getAppendedVersion());
            assertEquals(boom, failed.getCause());
            assertEquals(1, get(asyncEvents.readStreamList(account.getId())).size(), "the events are stored");
        }
    }

    @Test
    void theCanonicalStackOnAnExecutorKeepsEveryLayer() {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        InMemorySnapshotStore snapshots = new InMemorySnapshotStore(2);
        InMemoryAggregateCache<Account> cache = new InMemoryAggregateCache<>();
        List<String> saves = new CopyOnWriteArrayList<>();
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT)
            .snapshots(snapshots, SnapshotPolicy.everyNEvents(2))
            .cache(cache)
            .hooks(JavaHooks.<Account>builder().afterSave(a -> saves.add(a.getId() + "@" + a.getVersion())).build())
            .executor(executor)
            .build()) {
            TypeId id = openWith(accounts, 1, 2, 3);
            assertEquals(6L, get(accounts.load(id)).getState().balance());
            assertEquals(4L, get(AsyncSnapshotStore.from(snapshots).read(id)).orElseThrow().getVersion());
            assertEquals(4L, get(AsyncAggregateCache.from(cache).get(id)).orElseThrow().getVersion());
            assertEquals(List.of(id + "@4"), saves);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void buildStoreGivesTheKotlinStackForFurtherLayers() {
        AggregateStore<Account> stack = AggregateStack.builder(events, ACCOUNT).cache(new InMemoryAggregateCache<>()).buildStore();
        AggregateStore<Account> hooked = new HookableAggregateStore<>(stack, JavaHooks.<Account>builder().build());
        try (AsyncAggregateStore<Account> accounts = AsyncAggregateStore.from(hooked)) {
            TypeId id = openWith(accounts, 2);
            assertEquals(2L, get(accounts.load(id)).getState().balance());
        }
        assertInstanceOf(EventSourcedAggregateStore.class,
            AggregateStack.builder(events, ACCOUNT).buildStore(), "no layer asked: the event-sourced store itself");
    }
}
