package dev.estoria.facade

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.async.AsyncCheckpointStore
import dev.estoria.async.AsyncEventStore
import dev.estoria.async.AsyncSnapshotStore
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.facade.support.AsyncBackedAggregateStore
import dev.estoria.facade.support.AsyncBackedCheckpointStore
import dev.estoria.facade.support.AsyncBackedEventStore
import dev.estoria.facade.support.AsyncBackedSnapshotStore
import dev.estoria.facade.support.JdbcDatabases
import dev.estoria.java.AggregateStack
import dev.estoria.java.JavaHooks
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.projection.CheckpointStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

/* The conformance kit through the facade on SQLite and on a real PostgreSQL (env var → Testcontainers → embedded). */

private val sqliteAsync by lazy { AsyncEventStore.from(JdbcDatabases.sqliteEventStore()) }
private val postgresAsync by lazy { AsyncEventStore.from(JdbcDatabases.postgresEventStore()) }

class FacadeSqliteEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = AsyncBackedEventStore(sqliteAsync)

    override fun maxEventSize(): Int = JdbcDatabases.sqliteEventStore().options.maxEventSize
}

class FacadeSqliteGlobalReaderTest : GlobalReaderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sqliteAsync)
}

class FacadeSqliteStreamDeleterTest : StreamDeleterSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sqliteAsync)
}

class FacadeSqliteDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sqliteAsync)
}

class FacadeSqliteSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        AsyncBackedSnapshotStore(AsyncSnapshotStore.from(JdbcSnapshotStore.sqlite(JdbcDatabases.sqlite(), keepLast = keepLast)))
}

class FacadeSqliteCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore =
        AsyncBackedCheckpointStore(AsyncCheckpointStore.from(JdbcCheckpointStore.sqlite(JdbcDatabases.sqlite())))
}

class FacadePostgresEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = AsyncBackedEventStore(postgresAsync)

    override fun maxEventSize(): Int = JdbcDatabases.postgresEventStore().options.maxEventSize
}

class FacadePostgresGlobalReaderTest : GlobalReaderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(postgresAsync)
}

class FacadePostgresStreamDeleterTest : StreamDeleterSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(postgresAsync)
}

class FacadePostgresDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(postgresAsync)
}

class FacadePostgresSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        AsyncBackedSnapshotStore(AsyncSnapshotStore.from(JdbcSnapshotStore.postgres(JdbcDatabases.postgres(), keepLast = keepLast)))
}

class FacadePostgresCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore =
        AsyncBackedCheckpointStore(AsyncCheckpointStore.from(JdbcCheckpointStore.postgres(JdbcDatabases.postgres())))
}

/** The canonical stack on PostgreSQL (events and snapshots), built with the Java stack builder. */
class FacadePostgresStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        AsyncBackedAggregateStore(
            AggregateStack.builder(JdbcDatabases.postgresEventStore(), definition)
                .snapshots(JdbcSnapshotStore.postgres(JdbcDatabases.postgres(), keepLast = 2), SnapshotPolicy.everyNEvents(2))
                .cache(InMemoryAggregateCache())
                .hooks(JavaHooks.builder<TckCounter>().beforeSave { it.putMetadata("correlation_id", "facade-tck") }.build())
                .build(),
        )
}

/** The canonical stack on SQLite. */
class FacadeSqliteStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        AsyncBackedAggregateStore(
            AggregateStack.builder(JdbcDatabases.sqliteEventStore(), definition)
                .snapshots(JdbcSnapshotStore.sqlite(JdbcDatabases.sqlite(), keepLast = 2), SnapshotPolicy.everyNEvents(2))
                .cache(InMemoryAggregateCache())
                .build(),
        )
}
