package dev.estoria.testkit.layers

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.AggregateHooks
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.codec.encodeAs
import dev.estoria.error.EventGapException
import dev.estoria.error.StaleAggregateException
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.error.StreamNotFoundException
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.StreamDeleter
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
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The aggregate-store layers (snapshotting, caching, hooks) over a backend's own event store, snapshot
 * store and cache: what each layer promises holds with that backend underneath, failure paths included.
 * A backend supplies the three fixtures (a backend without a snapshot store or cache of its own passes
 * the in-memory ones); each is called once per clause and may share one server.
 */
public abstract class AggregateLayersSuite<S> where S : EventStore, S : StreamDeleter {
    /** The event store under the layers (it deletes and truncates streams behind their back). */
    protected abstract fun eventStore(): S

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
        assertEquals(3, counting.eventsRead.get(), "the snapshot's own event at 10 (checked) and the 2 after it")
        assertEquals(1, counting.reads.get(), "a load from a snapshot is one stream read")
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
        val counting = CountingEventStore(events)
        val cached = CachingAggregateStore(plain(counting), cache)
        val id = cached.saveEach(null, 2)
        assertEquals(2, assertNotNull(cache.get(id), "the save was cached").version)
        plain(events).saveEach(id, 3)
        counting.reads.set(0)
        val loaded = cached.load(id)
        assertEquals(1, counting.reads.get(), "a load from a cache hit is one stream read")
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

    // ------------------------------------------------------------ entries the stream does not confirm

    /** The stacks whose loads must never return a state the stream does not have, over one snapshot store and cache. */
    private fun stacks(events: EventStore, snapshots: SnapshotStore, cache: AggregateCache<TckCounter>): Map<String, AggregateStore<TckCounter>> =
        mapOf(
            "snapshotting" to SnapshottingAggregateStore(plain(events), snapshots, SnapshotPolicy.everyNEvents(2)),
            "caching" to CachingAggregateStore(plain(events), cache),
            "canonical" to HookableAggregateStore(
                CachingAggregateStore(SnapshottingAggregateStore(plain(events), snapshots, SnapshotPolicy.everyNEvents(2)), cache),
                AggregateHooks.Builder<TckCounter>().build(),
            ),
        )

    /** Creates [id] afresh with [count] events adding [amount] each, through the plain store (no layer sees it). */
    private suspend fun recreate(events: EventStore, id: TypeId, count: Int, amount: Long) {
        val aggregate = plain(events).new(id)
        repeat(count) { aggregate.append(Added(amount)) }
        plain(events).save(aggregate)
    }

    private suspend fun AggregateStore<TckCounter>.saveAdding(id: TypeId?, count: Int, amount: Long): TypeId {
        var current: TypeId? = id
        repeat(count) {
            val aggregate = current?.let { load(it) } ?: new()
            aggregate.append(Added(amount))
            save(aggregate)
            current = aggregate.id
        }
        return current ?: error("count must be >= 1")
    }

    /**
     * A user deletes a stream (to erase it, or to start over) and the id is written again with fewer events:
     * a snapshot or cache entry of the old stream is ahead of the new one. Serving it would return a version
     * the stream does not have, and every update would then conflict forever.
     */
    @Test
    public fun `a stream deleted and re-created with fewer events loads its new state through every stack`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val cache = cache()
        for ((name, stack) in stacks(events, snapshots, cache)) {
            val id = stack.saveAdding(null, 5, 1)
            events.delete(id)
            recreate(events, id, 1, 7)
            val loaded = stack.load(id)
            assertEquals(1, loaded.version, "$name: version of the re-created stream")
            assertEquals(7, loaded.state.value, "$name: state of the re-created stream")
            assertEquals(2, stack.update(id) { listOf(Added(1)) }.version, "$name: an update after the re-creation")
            assertEquals(8, plain(events).load(id).state.value, "$name")
            assertTrue((cache.get(id)?.version ?: 0) <= 2, "$name: the stale cache entry was replaced")
            assertTrue((snapshots.read(id)?.version ?: 0) <= 2, "$name: the stale snapshot was discarded")
        }
    }

    /**
     * Re-created to the same or a higher version, the stream holds other events at the entry's version: only
     * the last event's id tells them apart, and a state built from the old events would silently be wrong.
     */
    @Test
    public fun `a stream deleted and re-created to the same or a higher version never loads events of its old life`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val cache = cache()
        for (newCount in listOf(4, 7)) {
            for ((name, stack) in stacks(events, snapshots, cache)) {
                val id = stack.saveAdding(null, 4, 1)
                events.delete(id)
                recreate(events, id, newCount, 10)
                val loaded = stack.load(id)
                assertEquals(newCount.toLong(), loaded.version, "$name, re-created with $newCount events")
                assertEquals(newCount * 10L, loaded.state.value, "$name, re-created with $newCount events")
                assertEquals(newCount * 10L + 1, stack.update(id) { listOf(Added(1)) }.state.value, "$name, re-created with $newCount")
                assertEquals(newCount * 10L + 1, stack.load(id).state.value, "$name: the replaced entries load the new state")
            }
        }
    }

    /**
     * A snapshot (or an entry of a restored Redis) can be ahead of its stream; it must be discarded and
     * replaced, not kept: a kept entry at 999 would make every load replay and a compare-and-set cache
     * refuse every real version.
     */
    @Test
    public fun `a snapshot ahead of the stream is discarded and replaced`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val id = plain(events).saveEach(null, 3)
        val ahead = TckCounter(id.toString(), 999)
        val data = TckCounter.codec.encodeAs(TckCounter.TYPE, ahead)
        snapshots.write(Snapshot(id, 999, data, TckCounter.codec.contentType, Instant.now(), TypeId.new("added")))
        val store = SnapshottingAggregateStore(plain(events), snapshots, SnapshotPolicy.everyNEvents(2))
        val loaded = store.load(id)
        assertEquals(3, loaded.version)
        assertEquals(3, loaded.state.value)
        assertEquals(3, assertNotNull(snapshots.read(id), "the replay was snapshotted again").version)
        assertEquals(4, store.update(id) { listOf(Added(1)) }.version)
    }

    /** The cache counterpart: an entry ahead of the stream is invalidated and the cache then holds the stream's version. */
    @Test
    public fun `a cache entry ahead of the stream is discarded and replaced`(): TestResult = Tck.run {
        val events = eventStore()
        val cache = cache()
        val id = plain(events).saveEach(null, 3)
        cache.put(id, 1000, TckCounter(id.toString(), 1000), TypeId.new("added"))
        val store = CachingAggregateStore(plain(events), cache)
        val loaded = store.load(id)
        assertEquals(3, loaded.version)
        assertEquals(3, loaded.state.value)
        assertEquals(3, assertNotNull(cache.get(id), "the loaded state was cached").version)
        assertEquals(4, store.update(id) { listOf(Added(1)) }.version)
        assertEquals(4, assertNotNull(cache.get(id)).version)
    }

    /**
     * Truncation keeps later versions. A snapshot or cache entry whose own event is still in the stream is
     * checked and used, so truncating below the newest snapshot keeps the aggregate loadable; one whose event
     * was truncated away cannot be checked and is never trusted: the load fails with EventGapException.
     */
    @Test
    public fun `after a truncation only entries whose event the stream still holds are used`(): TestResult = Tck.run {
        val events = eventStore()
        val snapshots = snapshotStore()
        val cache = cache()
        for ((name, stack) in stacks(events, snapshots, cache)) {
            val id = stack.saveAdding(null, 6, 1)
            events.delete(id, 3)
            assertFailsWith<EventGapException>("$name: a plain replay of a truncated stream") { plain(events).load(id) }
            val loaded = stack.load(id)
            assertEquals(6, loaded.version, "$name: loaded from the entry at 6, above the truncation")
            assertEquals(6, loaded.state.value, "$name")
            loaded.append(Added(1))
            plain(events).save(loaded)
            events.delete(id, 6)
            val gap = assertFailsWith<EventGapException>("$name: the entries at 6 lost their event") { stack.load(id) }
            assertEquals(id, gap.streamId, name)
        }
    }

    /** A lost row (version 2 missing) must fail the load with a typed error, never load version 3 without it. */
    @Test
    public fun `a gap in stream versions fails the load with EventGapException on every stack`(): TestResult = Tck.run {
        val events = eventStore()
        val id = plain(events).saveEach(null, 3)
        val lossy = LostVersionEventStore(events, 2)
        for ((name, stack) in stacks(lossy, snapshotStore(), cache()) + ("plain" to plain(lossy))) {
            val gap = assertFailsWith<EventGapException>(name) { stack.load(id) }
            assertEquals(id, gap.streamId, name)
            assertEquals(2, gap.expectedVersion, name)
            assertEquals(3, gap.foundVersion, name)
        }
    }

    /**
     * An aggregate held by the application whose stream shrank (deleted and re-created) cannot be hydrated:
     * "no events after N" must not pass for "the stream is at N".
     */
    @Test
    public fun `hydrating an aggregate its stream no longer confirms fails with StaleAggregateException`(): TestResult = Tck.run {
        val events = eventStore()
        val id = plain(events).saveEach(null, 5)
        val held = plain(events).load(id)
        events.delete(id)
        recreate(events, id, 1, 7)
        assertFailsWith<StaleAggregateException> { plain(events).hydrate(held) }
        plain(events).saveEach(id, 4)
        assertFailsWith<StaleAggregateException>("same version, other events") { plain(events).hydrate(held) }
    }

    /**
     * A state codec is user code: its bugs (NotImplementedError, AssertionError, …) must cost the snapshot,
     * never the save whose events are stored; only a VirtualMachineError, the JVM in trouble, propagates.
     */
    @Test
    public fun `an Error from the state codec never fails a save, a VirtualMachineError propagates`(): TestResult = Tck.run {
        val events = eventStore()
        val buggy = SnapshottingAggregateStore(plain(events), snapshotStore(), SnapshotPolicy.everyNEvents(1), ThrowingStateCodec { NotImplementedError("TCK codec") })
        val id = buggy.saveEach(null, 2)
        assertEquals(2, buggy.load(id).state.value)
        assertEquals(2, events.readStream(id).toList().size)
        val dying = SnapshottingAggregateStore(plain(events), snapshotStore(), SnapshotPolicy.everyNEvents(1), ThrowingStateCodec { OutOfMemoryError("TCK codec") })
        val aggregate = dying.load(id)
        aggregate.append(Added(1))
        assertFailsWith<OutOfMemoryError> { dying.save(aggregate) }
        assertEquals(3, events.readStream(id).toList().size, "the events were appended before the snapshot failed")
    }
}
