package dev.estoria.mongo

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.projection.CheckpointStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.layers.AggregateLayersSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite
import dev.estoria.testkit.projection.CheckpointStoreSuite
import dev.estoria.testkit.snapshot.SnapshotStoreSuite

/**
 * The stores the kit runs on: one database per layout, shared by the suites (as applications share them).
 * The hole bound is 200 ms instead of 2 s: mongo-java-server's `findOneAndUpdate` with `$inc` is not atomic
 * under concurrency (it hands the same counter value to two writers, measured ~2 %), which leaves
 * positions nobody writes; readers close them after the bound. A latency setting, not a correctness one.
 */
internal object MongoStores {
    private val testOptions = MongoStoreOptions.builder().holeTimeout(java.time.Duration.ofMillis(200)).build()

    val singleDatabase by lazy { MongoTestServer.database("single") }
    val perTypeDatabase by lazy { MongoTestServer.database("pertype") }

    val single: MongoEventStore by lazy { MongoEventStore(singleDatabase, testOptions) }

    val perType: MongoEventStore by lazy {
        MongoEventStore(perTypeDatabase, testOptions.toBuilder().layout(MongoLayout.COLLECTION_PER_TYPE).collectionPrefix("es_").build())
    }

    /** Small pages: every page boundary of stream and global reads is crossed. */
    val smallPages: MongoEventStore by lazy { MongoEventStore(MongoTestServer.database("pages"), testOptions.toBuilder().pageSize(3).build()) }
}

// One collection for all streams (the default layout).

class MongoEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = MongoStores.single
}

class MongoGlobalReaderTest : GlobalReaderSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.single
}

class MongoStreamDeleterTest : StreamDeleterSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.single
}

class MongoDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.single
}

// One collection per aggregate type.

class MongoPerTypeEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = MongoStores.perType
}

class MongoPerTypeGlobalReaderTest : GlobalReaderSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.perType
}

class MongoPerTypeStreamDeleterTest : StreamDeleterSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.perType
}

class MongoPerTypeDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.perType
}

// Small pages.

class MongoSmallPagesEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = MongoStores.smallPages
}

class MongoSmallPagesGlobalReaderTest : GlobalReaderSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.smallPages
}

// Snapshots and checkpoints.

class MongoSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore = MongoSnapshotStore(MongoStores.singleDatabase, keepLast = keepLast)
}

class MongoCheckpointStoreTest : CheckpointStoreSuite() {
    override fun checkpointStore(): CheckpointStore = MongoCheckpointStore(MongoStores.singleDatabase)
}

/** The layers over the Mongo event and snapshot stores (deleting a stream also deletes its Mongo snapshots). */
class MongoLayersTest : AggregateLayersSuite<MongoEventStore>() {
    override fun eventStore(): MongoEventStore = MongoStores.single

    override fun snapshotStore(): SnapshotStore = MongoSnapshotStore(MongoStores.singleDatabase)

    override fun cache(): AggregateCache<TckCounter> = InMemoryAggregateCache()
}
