package dev.estoria.testkit.donothing

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.aggregate.AggregateStoreSuite
import dev.estoria.testkit.cache.AggregateCacheSuite
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite
import dev.estoria.testkit.layers.AggregateLayersSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.forwarding.ForwarderSuite
import dev.estoria.testkit.projection.LeaseStoreSuite
import dev.estoria.testkit.projection.PartitionSuite
import dev.estoria.testkit.projection.ProjectionSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

// Not named *Test: Surefire must not run these directly; DoNothingFailsEverySuiteTest launches them.

internal class DoNothingEventStoreClauses : EventStoreSuite() {
    override fun eventStore() = DoNothingEventStore()
}

/** The same store claiming a size limit, so that the limit branch of the size clause is shown to fail too. */
internal class DoNothingLimitedEventStoreClauses : EventStoreSuite() {
    override fun eventStore() = DoNothingEventStore()

    override fun maxEventSize() = 4096
}

internal class DoNothingGlobalReaderClauses : GlobalReaderSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()
}

internal class DoNothingStreamDeleterClauses : StreamDeleterSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()
}

internal class DoNothingDeletedEventsGlobalOrderClauses : DeletedEventsGlobalOrderSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()
}

internal class DoNothingSnapshotStoreClauses : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?) = DoNothingSnapshotStore()
}

internal class DoNothingCacheClauses : AggregateCacheSuite() {
    override fun cache() = DoNothingCache<TckCounter>()
}

internal class DoNothingCheckpointClauses : CheckpointStoreSuite() {
    override fun checkpointStore() = DoNothingCheckpointStore()
}

internal class DoNothingAggregateStoreClauses : AggregateStoreSuite() {
    override fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter> =
        EventSourcedAggregateStore(DoNothingEventStore(), definition)
}

internal class DoNothingLayersClauses : AggregateLayersSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()

    override fun snapshotStore() = DoNothingSnapshotStore()

    override fun cache() = DoNothingCache<TckCounter>()
}

internal class DoNothingLeaseClauses : LeaseStoreSuite() {
    override fun leaseStore() = DoNothingLeaseStore()

    override fun checkpointStore() = DoNothingCheckpointStore()
}

internal class DoNothingProjectionClauses : ProjectionSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()

    override fun checkpointStore() = DoNothingCheckpointStore()

    override fun leaseStore() = DoNothingLeaseStore()
}

internal class DoNothingForwarderClauses : ForwarderSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()

    override fun checkpointStore() = DoNothingCheckpointStore()
}

internal class DoNothingPartitionClauses : PartitionSuite<DoNothingEventStore>() {
    override fun eventStore(): DoNothingEventStore = DoNothingEventStore()

    override fun checkpointStore() = DoNothingCheckpointStore()

    override fun leaseStore() = DoNothingLeaseStore()
}
