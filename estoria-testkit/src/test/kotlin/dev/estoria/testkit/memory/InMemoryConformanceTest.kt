package dev.estoria.testkit.memory

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.projection.memory.InMemoryLeaseStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.eventstream.EventStreamSnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import dev.estoria.testkit.cache.AggregateCacheSuite
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite
import dev.estoria.testkit.layers.AggregateLayersSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.projection.LeaseStoreSuite
import dev.estoria.testkit.forwarding.ForwarderSuite
import dev.estoria.testkit.projection.PartitionSuite
import dev.estoria.testkit.projection.ProjectionSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

/** One shared store: the suites must pass on a store that other clauses also write to. */
private val shared = InMemoryEventStore()

class InMemoryEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = shared
}

class InMemoryEventStoreSmallPagesTest : EventStoreSuite() {
    override fun eventStore(): EventStore = InMemoryEventStore(pageSize = 3)
}

class InMemoryGlobalReaderTest : GlobalReaderSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared
}

class InMemoryStreamDeleterTest : StreamDeleterSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared
}

class InMemoryDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared
}

class InMemorySnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore = InMemorySnapshotStore(keepLast)
}

class EventStreamSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore = EventStreamSnapshotStore(shared, keepLast)
}

class InMemoryAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}

class InMemoryCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = InMemoryCheckpointStore()
}

class InMemoryLeaseStoreTest : LeaseStoreSuite() {
    private val leases = InMemoryLeaseStore()

    override fun leaseStore(): LeaseStore = leases

    override fun checkpointStore(): CheckpointStore = leases.checkpoints
}

class InMemoryProjectionTest : ProjectionSuite<InMemoryEventStore>() {
    private val leases = InMemoryLeaseStore()

    override fun eventStore(): InMemoryEventStore = shared

    override fun checkpointStore(): CheckpointStore = leases.checkpoints

    override fun leaseStore(): LeaseStore = leases
}

class InMemoryForwarderTest : ForwarderSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared

    override fun checkpointStore(): CheckpointStore = InMemoryCheckpointStore()
}

class InMemoryPartitionTest : PartitionSuite<InMemoryEventStore>() {
    private val leases = InMemoryLeaseStore()

    override fun eventStore(): InMemoryEventStore = shared

    override fun checkpointStore(): CheckpointStore = leases.checkpoints

    override fun leaseStore(): LeaseStore = leases
}

class EventSourcedAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        EventSourcedAggregateStore(shared, definition)
}

/** The canonical stack: event-sourced → snapshotting → cached → hooks, keeps the same contract. */
class CanonicalStackAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> {
        val base = EventSourcedAggregateStore(shared, definition)
        val snapshotting = SnapshottingAggregateStore(base, InMemorySnapshotStore(keepLast = 2), SnapshotPolicy.everyNEvents(2))
        val cached = CachingAggregateStore(snapshotting, InMemoryAggregateCache())
        return HookableAggregateStore(cached) { beforeSave { it.putMetadata("correlation_id", "tck") } }
    }
}

/** Snapshots kept as events on companion streams, every event. */
class EventStreamSnapshottingAggregateStoreTest : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        SnapshottingAggregateStore(
            EventSourcedAggregateStore(shared, definition),
            EventStreamSnapshotStore(shared, keepLast = 3),
            SnapshotPolicy.everyNEvents(1),
        )
}

class InMemoryLayersTest : AggregateLayersSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared

    override fun snapshotStore(): SnapshotStore = InMemorySnapshotStore()

    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}

class EventStreamSnapshotsLayersTest : AggregateLayersSuite<InMemoryEventStore>() {
    override fun eventStore(): InMemoryEventStore = shared

    override fun snapshotStore(): SnapshotStore = EventStreamSnapshotStore(shared, keepLast = 2)

    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}
