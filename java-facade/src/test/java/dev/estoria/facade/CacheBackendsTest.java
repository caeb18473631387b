package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.async.AsyncAggregateCache;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.cache.AggregateCache;
import dev.estoria.cache.caffeine.CaffeineAggregateCache;
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy;
import dev.estoria.async.AsyncSnapshotStore;
import dev.estoria.cache.redis.RedisAggregateCache;
import dev.estoria.cache.redis.RedisSnapshotStore;
import dev.estoria.cache.redis.RedisSnapshotStoreOptions;
import dev.estoria.snapshot.Snapshot;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.Bank.Account;
import dev.estoria.facade.Bank.Deposited;
import dev.estoria.facade.Bank.Opened;
import dev.estoria.facade.support.RedisConnections;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.estoria.facade.Bank.ACCOUNT;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Caffeine and Redis caches and the Redis snapshot store from Java: records cached with the Jackson state codec of the Java definition. */
class CacheBackendsTest {
    private void cachesSavedStates(AggregateCache<Account> cache) {
        try (AsyncAggregateStore<Account> accounts = AggregateStack.builder(new InMemoryEventStore(), ACCOUNT).cache(cache).build();
             AsyncAggregateCache<Account> asyncCache = AsyncAggregateCache.from(cache)) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"), new Deposited(10));
            get(accounts.save(account));
            get(accounts.update(account.getId(), a -> List.of(new Deposited(5))));
            var cached = get(asyncCache.get(account.getId())).orElseThrow();
            assertEquals(3L, cached.getVersion());
            assertEquals(new Account(account.getId().toString(), "ada", 15), cached.getState());
            get(asyncCache.put(account.getId(), 1, new Account("stale", "", 0)));
            assertEquals(3L, get(asyncCache.get(account.getId())).orElseThrow().getVersion(), "never backwards");
            get(asyncCache.invalidate(account.getId()));
            assertEquals(Optional.empty(), get(asyncCache.get(account.getId())));
            assertEquals(15L, get(accounts.load(account.getId())).getState().balance());
            assertEquals(Optional.empty(), get(asyncCache.get(TypeId.create("account"))));
        }
    }

    @Test
    void redisSnapshotStoreFromJava() {
        RedisSnapshotStore store = new RedisSnapshotStore(RedisConnections.bytes(), RedisSnapshotStoreOptions.builder().keepLast(2).build());
        try (AsyncSnapshotStore snapshots = AsyncSnapshotStore.from(store);
             AsyncAggregateStore<Account> accounts = AggregateStack.builder(new InMemoryEventStore(), ACCOUNT)
                 .snapshots(store, SnapshotPolicy.everyNEvents(2))
                 .build()) {
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("ada"), new Deposited(10));
            get(accounts.save(account));
            get(accounts.update(account.getId(), a -> List.of(new Deposited(5), new Deposited(1))));
            get(accounts.update(account.getId(), a -> List.of(new Deposited(1), new Deposited(1))));
            assertEquals(6L, get(snapshots.read(account.getId())).orElseThrow().getVersion());
            assertEquals(4L, get(snapshots.read(account.getId(), 5)).orElseThrow().getVersion());
            assertEquals(Optional.empty(), get(snapshots.read(account.getId(), 3)), "keepLast(2) dropped version 2");
            Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
            TypeId other = TypeId.create("account");
            get(snapshots.write(new Snapshot(other, 7, new byte[] {1, 2, 3}, "", at)));
            Snapshot read = get(snapshots.read(other)).orElseThrow();
            assertEquals(at, read.getTimestamp());
            assertEquals("", read.getContentType());
            assertTrue(read.dataEquals(new byte[] {1, 2, 3}));
            assertEquals(18L, get(accounts.load(account.getId())).getState().balance());
        }
    }

    @Test
    void caffeine() {
        cachesSavedStates(CaffeineAggregateCache.<Account>builder().maximumSize(1_000).build());
    }

    @Test
    void redisWithTheJacksonStateCodec() {
        cachesSavedStates(new RedisAggregateCache<>(RedisConnections.bytes(), ACCOUNT.getStateCodec(), RedisConnections.getCacheOptions()));
    }
}
