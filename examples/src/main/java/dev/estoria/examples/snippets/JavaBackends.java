// Shown in docs/java.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets;

import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncCheckpointStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.cache.AggregateCache;
import dev.estoria.cache.caffeine.CaffeineAggregateCache;
import dev.estoria.cache.redis.RedisAggregateCache;
import dev.estoria.cache.redis.RedisSnapshotStore;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.JavaAggregates;
import dev.estoria.jdbc.JdbcCheckpointStore;
import dev.estoria.jdbc.JdbcSnapshotStore;
import dev.estoria.jdbc.JdbcStoreOptions;
import dev.estoria.jdbc.PostgresEventStore;
import dev.estoria.jdbc.SqliteEventStore;
import dev.estoria.snapshot.SnapshotStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

public class JavaBackends {
    record Account(String id, long balance) {}
    record Deposited(long amount) {}

    static final AggregateDefinition<Account> ACCOUNT = JavaAggregates.define("account", Account.class)
        .initial(id -> new Account(id.toString(), 0))
        .on(Deposited.class, "deposited", (a, e) -> new Account(a.id(), a.balance() + e.amount()))
        .build();

    static AsyncAggregateStore<Account> accounts(DataSource dataSource, RedisClient redisClient) {
        // PostgreSQL (first-class) and SQLite (embedded default), estoria-jdbc
        AsyncEventStore pg = AsyncEventStore.from(PostgresEventStore.create(dataSource));      // bring your pool
        AsyncEventStore sqlite = AsyncEventStore.from(SqliteEventStore.file(Path.of("events.db")));
        SnapshotStore snapshots = JdbcSnapshotStore.postgres(dataSource);                     // or .sqlite(ds)
        AsyncCheckpointStore checkpoints = AsyncCheckpointStore.from(JdbcCheckpointStore.postgres(dataSource));

        // Where blocking JDBC runs: your executor (Kotlin: .dispatcher(…))
        ExecutorService jdbcThreads = Executors.newFixedThreadPool(10);
        PostgresEventStore events = PostgresEventStore.create(dataSource,
            JdbcStoreOptions.builder().schema("events").executor(jdbcThreads).build());

        // Caffeine (in-process) and Redis/Valkey (Lettuce), estoria-cache
        AggregateCache<Account> local = CaffeineAggregateCache.<Account>builder().maximumSize(10_000).build();
        AggregateCache<Account> shared = new RedisAggregateCache<>(redisClient.connect(ByteArrayCodec.INSTANCE), ACCOUNT.requireStateCodec("cache"));
        SnapshotStore redisSnapshots = new RedisSnapshotStore(redisClient.connect(ByteArrayCodec.INSTANCE));

        return AggregateStack.builder(events, ACCOUNT)
            .snapshots(snapshots, SnapshotPolicy.everyNEvents(100))
            .cache(local)
            .build();
    }
}
