package dev.estoria.testkit.layers

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.error.StreamNotFoundException
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.Tck
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.TckCounter.Added
import dev.estoria.testkit.TckCounter.Labelled
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The aggregate-store layers (snapshotting, caching, hooks) over a backend's own event store, snapshot
 * store and cache: what each layer promises holds with that backend underneath, failure paths included.
 * A backend supplies the three fixtures (a backend without a snapshot store or cache of its own passes
 * the in-memory ones); each is called once per clause and may share one server.
 */
public abstract class AggregateLayersSuite {
    /** The event store under the layers. */
    protected abstract fun eventStore(): EventStore

    /** The snapshot store the snapshotting layer writes to and reads from. */
    protected abstract fun snapshotStore(): SnapshotStore

    /** The cache the caching layer uses. */
    protected abstract fun cache(): AggregateCache<TckCounter>

    private val definition = TckCounter.definition

    private fun plain(events: EventStore): AggregateStore<TckCounter> = EventSourcedAggregateStore(events, definition)

    private suspend fun AggregateStore<TckCounter>.saveEach(id: TypeId?, count: Int): TypeId {
        var current: TypeId? = id
        repeat(count) {
            val aggregate = current?.let { load(it) } ?: new()
            aggregate.append(Added(1))
            save(aggregate)
            current = aggregate.id
        }
        return current ?: error("count must be >= 1")
    }

    /**
     * Snapshots exist to make loads of long streams cheap: after snapshots at 5 and 10, a load of version 12
     * must replay just the 2 later events and still give the exact state.
     */
    @Test
    public fun `a snapshotting load replays only the events after the newest snapshot`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val store = SnapshottingAggregateStore(plain(events), snapshots, SnapshotPolicy.everyNEvents(5))
        val id = store.saveEach(null, 12)
        assertEquals(10, assertNotNull(snapshots.read(id), "a snapshot was taken at version 10").version)
        val counting = CountingEventStore(events)
        val loaded = SnapshottingAggregateStore(plain(counting), snapshots, SnapshotPolicy.everyNEvents(5)).load(id)
        assertEquals(12, loaded.version)
        assertEquals(12, loaded.state.value)
        assertEquals(2, counting.eventsRead.get(), "events replayed after the snapshot at 10")
    }

    /**
     * A snapshot written by an older release, another codec or a corrupted row must never make an aggregate
     * unloadable: the layer falls back to a full replay.
     */
    @Test
    public fun `an undecodable snapshot in the store falls back to a full replay`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val id = plain(events).saveEach(null, 3)
        snapshots.write(Snapshot(id, 3, "not json at all".encodeToByteArray(), "application/json", Instant.now()))
        val loaded = SnapshottingAggregateStore(plain(events), snapshots, SnapshotPolicy.everyNEvents(100)).load(id)
        assertEquals(3, loaded.version)
        assertEquals(3, loaded.state.value)
    }

    /** Snapshots are an optimisation: their store being down must cost speed, never a failed save or load. */
    @Test
    public fun `a failing snapshot store never fails a save or a load`(): TestResult = Tck.run {
        val events = eventStore()
        val store = SnapshottingAggregateStore(plain(events), FailingSnapshotStore, SnapshotPolicy.everyNEvents(1))
        val id = store.saveEach(null, 3)
        assertEquals(3, store.load(id).state.value)
        assertEquals(3, events.readStream(id).toList().size)
    }

    /**
     * Several application instances share an event store but each may cache: a cached aggregate saved
     * meanwhile by another instance must load at its latest version, and the cache then holds that version.
     */
    @Test
    public fun `a cache hit is brought up to date with saves made elsewhere`(): TestResult = Tck.run {
        val events = eventStore()
        val cache = cache()
        val cached = CachingAggregateStore(plain(events), cache)
        val id = cached.saveEach(null, 2)
        assertEquals(2, assertNotNull(cache.get(id), "the save was cached").version)
        plain(events).saveEach(id, 3)
        val loaded = cached.load(id)
        assertEquals(5, loaded.version)
        assertEquals(5, loaded.state.value)
        assertEquals(5, assertNotNull(cache.get(id)).version)
    }

    /** A cache must never make the application fail: with the cache down, loads and saves keep working. */
    @Test
    public fun `a failing cache is a miss and loads and saves keep working`(): TestResult = Tck.run {
        val events = eventStore()
        val store = CachingAggregateStore(plain(events), FailingCache())
        val id = store.saveEach(null, 3)
        assertEquals(3, store.load(id).state.value)
        assertEquals(3, events.readStream(id).toList().size)
    }

    /**
     * Hooks enforce cross-cutting rules (authorization, tenancy, validation); a hook that refuses a save must
     * leave the backend untouched.
     */
    @Test
    public fun `a failing hook aborts the save and writes nothing`(): TestResult = Tck.run {
        val events = eventStore()
        val store = HookableAggregateStore(plain(events)) { beforeSave { throw IllegalStateException("refused by a hook") } }
        val aggregate = store.new()
        aggregate.append(Added(1))
        val error = assertFailsWith<IllegalStateException> { store.save(aggregate) }
        assertEquals("refused by a hook", error.message)
        assertFailsWith<StreamNotFoundException> { events.readStream(aggregate.id).toList() }
    }

    /**
     * The canonical stack on real backends must agree with a plain replay at every version, whatever mix of
     * snapshot, cache and replay it uses to get there.
     */
    @Test
    public fun `the canonical stack loads every version exactly as a plain replay does`(): TestResult = Tck.run {
        val events = eventStore()
        val stack = HookableAggregateStore(
            CachingAggregateStore(
                SnapshottingAggregateStore(plain(events), snapshotStore(), SnapshotPolicy.everyNEvents(3)),
                cache(),
            ),
        ) { beforeSave { it.putMetadata("tck_hook", "ran") } }
        val aggregate = stack.new()
        aggregate.append(Added(2), Labelled("a"))
        stack.save(aggregate)
        repeat(3) {
            val next = stack.load(aggregate.id)
            next.append(Added(3), Labelled("v${next.version}"))
            stack.save(next)
        }
        val plainStore = plain(events)
        for (version in 1L..8L) {
            assertEquals(plainStore.load(aggregate.id, version).state, stack.load(aggregate.id, version).state, "version $version")
        }
        assertEquals(8, stack.load(aggregate.id).version)
        assertTrue(events.readStream(aggregate.id).toList().all { it.metadata["tck_hook"] == "ran" })
    }
}
