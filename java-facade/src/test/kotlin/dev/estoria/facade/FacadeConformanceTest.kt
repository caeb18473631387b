package dev.estoria.facade

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.async.AsyncAggregateCache
import dev.estoria.async.AsyncAggregateStore
import dev.estoria.async.AsyncCheckpointStore
import dev.estoria.async.AsyncEventStore
import dev.estoria.async.AsyncSnapshotStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.facade.support.AsyncBackedAggregateCache
import dev.estoria.facade.support.AsyncBackedAggregateStore
import dev.estoria.facade.support.AsyncBackedCheckpointStore
import dev.estoria.facade.support.AsyncBackedEventStore
import dev.estoria.facade.support.AsyncBackedSnapshotStore
import dev.estoria.java.AggregateStack
import dev.estoria.java.JavaHooks
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import dev.estoria.testkit.cache.AggregateCacheSuite
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite
import java.util.concurrent.Executors

/*
 * The conformance kit run THROUGH the Java facade: each fixture wraps a store in its async facade and
 * bridges it back (future.await(), publisher.asFlow()), so every clause checks what a Java caller sees.
 */

private val shared = InMemoryEventStore()
private val sharedAsync = AsyncEventStore.from(shared)
private val executor = Executors.newFixedThreadPool(2) { r -> Thread(r, "facade-tck").apply { isDaemon = true } }
private val onExecutor = AsyncEventStore.from(shared, executor)

class FacadeEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = AsyncBackedEventStore(sharedAsync)
}

class FacadeEventStoreOnExecutorTest : EventStoreSuite() {
    override fun eventStore(): EventStore = AsyncBackedEventStore(onExecutor)
}

class FacadeEventStoreSmallPagesTest : EventStoreSuite() {
    override fun eventStore(): EventStore = AsyncBackedEventStore(AsyncEventStore.from(InMemoryEventStore(pageSize = 3)))
}

class FacadeGlobalReaderTest : GlobalReaderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sharedAsync)
}

class FacadeStreamDeleterTest : StreamDeleterSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sharedAsync)
}

class FacadeDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<AsyncBackedEventStore>() {
    override fun eventStore(): AsyncBackedEventStore = AsyncBackedEventStore(sharedAsync)
}

class FacadeSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        AsyncBackedSnapshotStore(AsyncSnapshotStore.from(InMemorySnapshotStore(keepLast)))
}

class FacadeAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> = AsyncBackedAggregateCache(AsyncAggregateCache.from(InMemoryAggregateCache()))
}

class FacadeCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = AsyncBackedCheckpointStore(AsyncCheckpointStore.from(InMemoryCheckpointStore()))
}

class FacadeAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        AsyncBackedAggregateStore(AsyncAggregateStore.from(EventSourcedAggregateStore(shared, definition)))
}

/** The canonical stack assembled with the Java stack builder and Java hooks keeps the contract. */
class FacadeJavaStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        AsyncBackedAggregateStore(
            AggregateStack.builder(shared, definition)
                .snapshots(InMemorySnapshotStore(2), SnapshotPolicy.everyNEvents(2))
                .cache(InMemoryAggregateCache())
                .hooks(JavaHooks.builder<TckCounter>().beforeSave { it.putMetadata("correlation_id", "facade-tck") }.build())
                .executor(executor)
                .build(),
        )
}
