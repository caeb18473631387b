package dev.estoria.kurrent

import dev.estoria.eventstore.EventStore
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite

/*
 * The kit's suites over the store's mapping layer and a fake KurrentDB (FakeKurrent): the store's own
 * logic (naming, envelope, expected versions, id look-up, paging, $all filtering) meets the whole
 * contract here, in CI. The real server is KurrentServerConformanceTest's.
 */

/** One fake shared by several stores, with a foreign prefix writing to it too: filters must hold. */
private val sharedFake = FakeKurrent()
private val shared = sharedFake.store()

class KurrentFakeEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = shared
}

class KurrentFakeSmallPagesTest : EventStoreSuite() {
    override fun eventStore(): EventStore = FakeKurrent().store(KurrentStoreOptions(pageSize = 3))
}

class KurrentFakeGlobalReaderTest : GlobalReaderSuite<KurrentEventStore>() {
    override fun eventStore(): KurrentEventStore = shared
}

class KurrentFakePrefixedGlobalReaderTest : GlobalReaderSuite<KurrentEventStore>() {
    override fun eventStore(): KurrentEventStore = sharedFake.store(KurrentStoreOptions(streamPrefix = "tenant_a", pageSize = 4))
}
