package dev.estoria.aggregatestore

import dev.estoria.aggregate.Account
import dev.estoria.aggregate.AccountState
import dev.estoria.aggregate.Deposited
import dev.estoria.aggregate.Opened
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

class SnapshottingAggregateStoreTest {
    private val events = CountingEventStore()
    private val snapshots = InMemorySnapshotStore()
    private val store = SnapshottingAggregateStore(EventSourcedAggregateStore(events, Account), snapshots, SnapshotPolicy.everyNEvents(10))

    private suspend fun accountWith(deposits: Int): TypeId {
        val account = store.new()
        account.append(Opened("ada"))
        store.save(account)
        repeat(deposits) {
            account.append(Deposited(1))
            store.save(account)
        }
        return account.id
    }

    @Test
    fun `a snapshot is taken when a save crosses a multiple of N`() = runTest {
        val id = accountWith(24)
        assertEquals(20, snapshots.read(id)?.version)
        assertEquals(10, snapshots.read(id, 19)?.version)
    }

    @Test
    fun `a load replays only the events after the snapshot`() = runTest {
        val id = accountWith(24)
        events.eventsRead.set(0)
        val loaded = store.load(id)
        assertEquals(25, loaded.version)
        assertEquals(24, loaded.state.balance)
        assertEquals(6, events.eventsRead.get(), "the snapshot's own event (checked) and the 5 after it")
    }

    @Test
    fun `a load to a version uses the newest snapshot at or below it`() = runTest {
        val id = accountWith(24)
        events.eventsRead.set(0)
        val loaded = store.load(id, 15)
        assertEquals(15, loaded.version)
        assertEquals(14, loaded.state.balance)
        assertEquals(6, events.eventsRead.get(), "the snapshot's own event (checked) and the 5 after it")
    }

    @Test
    fun `an undecodable snapshot falls back to a full replay`() = runTest {
        val id = accountWith(24)
        snapshots.write(Snapshot(id, 25, "garbage".toByteArray(), "application/json", Instant.now()))
        events.eventsRead.set(0)
        val loaded = store.load(id)
        assertEquals(24, loaded.state.balance)
        assertEquals(25, events.eventsRead.get())
    }

    @Test
    fun `a snapshot of another content type is not decoded and loads replay`() = runTest {
        val id = accountWith(3)
        snapshots.write(Snapshot(id, 4, byteArrayOf(1, 2), "application/cbor", Instant.now()))
        assertEquals(3, store.load(id).state.balance)
    }

    @Test
    fun `a failing snapshot store never fails saves or loads`() = runTest {
        val broken = object : SnapshotStore {
            override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? = error("snapshot store down")
            override suspend fun write(snapshot: Snapshot) = error("snapshot store down")
            override suspend fun delete(aggregateId: TypeId, toVersion: Long?) = error("snapshot store down")
        }
        val layered = SnapshottingAggregateStore(EventSourcedAggregateStore(events, Account), broken, SnapshotPolicy.everyNEvents(1))
        val account = layered.new()
        account.append(Opened("ada"), Deposited(7))
        layered.save(account)
        assertEquals(AccountState(account.id.toString(), "ada", 7), layered.load(account.id).state)
    }

    @Test
    fun `the policy sees the versions before and after each save`() = runTest {
        val seen = ArrayList<Pair<Long, Long>>()
        val layered = SnapshottingAggregateStore(
            EventSourcedAggregateStore(events, Account),
            snapshots,
            SnapshotPolicy { _, previous, new -> seen += previous to new; false },
        )
        val account = layered.new()
        account.append(Opened("ada"), Deposited(1))
        layered.save(account)
        account.append(Deposited(1))
        layered.save(account)
        assertEquals(listOf(0L to 2L, 2L to 3L), seen)
        assertNull(snapshots.read(account.id))
    }

    @Test
    fun `a snapshot holds the state encoded by the state codec`() = runTest {
        val id = accountWith(9)
        val snapshot = assertNotNull(snapshots.read(id))
        val codec = assertNotNull(Account.stateCodec)
        assertEquals(AccountState(id.toString(), "ada", 9), codec.decode(snapshot.data))
        assertEquals("application/json", snapshot.contentType)
    }
}
