package dev.estoria.jdbc.tck

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.cache.AggregateCache
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.projection.CheckpointStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import dev.estoria.testkit.layers.AggregateLayersSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

class PostgresSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore = JdbcSnapshotStore.postgres(TestDatabases.postgres(), keepLast = keepLast)
}

class PostgresCustomNamesSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        JdbcSnapshotStore.postgres(TestDatabases.postgres(), TestDatabases.customPg, keepLast)
}

class SqliteSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore = JdbcSnapshotStore.sqlite(TestDatabases.sqlite(), keepLast = keepLast)
}

class SqliteCustomNamesSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        JdbcSnapshotStore.sqlite(TestDatabases.sqlite(), TestDatabases.customSqlite, keepLast)
}

class PostgresCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres())
}

class PostgresCustomNamesCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres(), TestDatabases.customPg)
}

class SqliteCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite())
}

class SqliteCustomNamesCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite(), TestDatabases.customSqlite)
}

class PostgresAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        EventSourcedAggregateStore(TestDatabases.pgDefault, definition)
}

class SqliteAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        EventSourcedAggregateStore(TestDatabases.sqliteDefault, definition)
}

/** The canonical stack over PostgreSQL with JDBC snapshots (custom names). */
class PostgresCanonicalStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> {
        val base = EventSourcedAggregateStore(TestDatabases.pgCustom, definition)
        val snapshots = JdbcSnapshotStore.postgres(TestDatabases.postgres(), TestDatabases.customPg, keepLast = 2)
        val snapshotting = SnapshottingAggregateStore(base, snapshots, SnapshotPolicy.everyNEvents(2))
        return HookableAggregateStore(CachingAggregateStore(snapshotting, InMemoryAggregateCache())) {
            beforeSave { it.putMetadata("correlation_id", "tck") }
        }
    }
}

/** The canonical stack over SQLite with JDBC snapshots (custom names). */
class SqliteCanonicalStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> {
        val base = EventSourcedAggregateStore(TestDatabases.sqliteCustom, definition)
        val snapshots = JdbcSnapshotStore.sqlite(TestDatabases.sqlite(), TestDatabases.customSqlite, keepLast = 2)
        val snapshotting = SnapshottingAggregateStore(base, snapshots, SnapshotPolicy.everyNEvents(2))
        return HookableAggregateStore(CachingAggregateStore(snapshotting, InMemoryAggregateCache())) {
            beforeSave { it.putMetadata("correlation_id", "tck") }
        }
    }
}

class PostgresLayersTest : AggregateLayersSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault

    override fun snapshotStore(): SnapshotStore = JdbcSnapshotStore.postgres(TestDatabases.postgres(), keepLast = 3)

    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}

class SqliteLayersTest : AggregateLayersSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault

    override fun snapshotStore(): SnapshotStore = JdbcSnapshotStore.sqlite(TestDatabases.sqlite(), keepLast = 3)

    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}
