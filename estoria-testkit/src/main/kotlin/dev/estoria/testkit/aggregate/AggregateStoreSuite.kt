package dev.estoria.testkit.aggregate

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.aggregatestore.update
import dev.estoria.aggregatestore.upsert
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.TckCounter.Added
import dev.estoria.testkit.TckCounter.Labelled
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse

/**
 * The contract of [AggregateStore], for the event-sourced store and every stack of layers over it.
 */
public abstract class AggregateStoreSuite {
    /** The store (or stack of layers) under test for [definition]; called once per clause. */
    protected abstract fun aggregateStore(definition: AggregateDefinition<TckCounter>): AggregateStore<TckCounter>

    private fun store() = aggregateStore(TckCounter.definition)

    private suspend fun AggregateStore<TckCounter>.created(vararg events: Any): TypeId {
        val aggregate = new()
        aggregate.append(*events)
        save(aggregate)
        return aggregate.id
    }

    /**
     * The basic promise to application code: what you save is what you load, at the version the next save is
     * checked against, and saving clears the pending events.
     */
    @Test
    public fun `a saved aggregate loads with the same state and version`(): TestResult = Tck.run {
        val store = store()
        val aggregate = store.new()
        aggregate.append(Added(5), Labelled("five"), Added(2))
        store.save(aggregate)
        assertEquals(3, aggregate.version)
        assertFalse(aggregate.hasPendingEvents)
        val loaded = store.load(aggregate.id)
        assertEquals(3, loaded.version)
        assertEquals(TckCounter(aggregate.id.toString(), 7, "five"), loaded.state)
        assertEquals(aggregate.state, loaded.state)
    }

    /**
     * Caching and snapshotting layers must never hide later saves: across many load-modify-save cycles every
     * load sees the latest state.
     */
    @Test
    public fun `successive saves accumulate and each load sees the latest`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1))
        repeat(12) {
            val aggregate = store.load(id)
            aggregate.append(Added(1))
            store.save(aggregate)
        }
        val loaded = store.load(id)
        assertEquals(13, loaded.version)
        assertEquals(13, loaded.state.value)
    }

    /**
     * Command handlers tell "no such aggregate" apart from other failures (to answer 404 or create it); the
     * error must name the id, whatever other aggregates exist.
     */
    @Test
    public fun `loading an unknown aggregate fails with AggregateNotFoundException`(): TestResult = Tck.run {
        val store = store()
        val id = TypeId.new(TckCounter.TYPE)
        val error = assertFailsWith<AggregateNotFoundException> { store.load(id) }
        assertEquals(id, error.aggregateId)
        val existing = store.created(Added(1))
        assertEquals(1, store.load(existing).version)
        assertFailsWith<AggregateNotFoundException> { store.load(id) }
    }

    /**
     * Point-in-time loads (audits, debugging) must stop exactly at the requested version, even when a
     * snapshot or cache holds newer state; a version past the end loads the latest.
     */
    @Test
    public fun `loading to a version replays only up to that version`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1), Added(10), Added(100), Labelled("x"))
        val atTwo = store.load(id, 2)
        assertEquals(2, atTwo.version)
        assertEquals(11, atTwo.state.value)
        assertEquals("", atTwo.state.label)
        assertEquals(4, store.load(id, 99).version)
    }

    /**
     * Long-lived copies are refreshed with `hydrate` instead of a full reload; it must apply exactly the
     * missing events, up to the latest or to the requested version.
     */
    @Test
    public fun `hydrate brings an older copy up to date or to a version`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1))
        val stale = store.load(id)
        val writer = store.load(id)
        writer.append(Added(2), Added(3), Added(4))
        store.save(writer)
        store.hydrate(stale, 3)
        assertEquals(3, stale.version)
        assertEquals(6, stale.state.value)
        store.hydrate(stale)
        assertEquals(4, stale.version)
        assertEquals(10, stale.state.value)
    }

    /**
     * State cannot be rewound in place; hydrating backwards is a caller bug that must fail with InvalidInputException
     * and leave the aggregate at its version.
     */
    @Test
    public fun `hydrating to a version below the aggregate's is refused`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1), Added(1), Added(1))
        val aggregate = store.load(id)
        assertFailsWith<InvalidInputException> { store.hydrate(aggregate, 2) }
        assertEquals(3, aggregate.version)
    }

    /**
     * A new aggregate without events has nothing to store; saving it must fail visibly rather than look
     * successful, and must not make the id exist.
     */
    @Test
    public fun `saving a new aggregate with no events is refused and writes nothing`(): TestResult = Tck.run {
        val store = store()
        val aggregate = store.new()
        assertFailsWith<InvalidInputException> { store.save(aggregate) }
        assertFailsWith<AggregateNotFoundException> { store.load(aggregate.id) }
        aggregate.append(Added(1))
        store.save(aggregate)
        assertEquals(1, store.load(aggregate.id).version)
    }

    /**
     * Handlers often save unconditionally; a save with nothing pending must write nothing and leave the
     * version as it was.
     */
    @Test
    public fun `saving a loaded aggregate with nothing pending changes nothing`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(4))
        val aggregate = store.load(id)
        store.save(aggregate)
        assertEquals(1, store.load(id).version)
    }

    /**
     * Two commands on the same aggregate must not overwrite each other: the later save conflicts, naming the
     * stream and its actual version, and only the first save's events are stored.
     */
    @Test
    public fun `a stale aggregate's save conflicts and writes nothing`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1))
        val first = store.load(id)
        val second = store.load(id)
        first.append(Added(10))
        store.save(first)
        second.append(Added(100))
        val conflict = assertFailsWith<StreamVersionConflictException> { store.save(second) }
        assertEquals(id, conflict.streamId)
        assertEquals(2, conflict.actual)
        assertEquals(11, store.load(id).state.value)
    }

    /**
     * Mixing up ids of different aggregate types must fail fast with InvalidInputException rather than create or read
     * a stream of the wrong type.
     */
    @Test
    public fun `ids of another aggregate type are refused`(): TestResult = Tck.run {
        val store = store()
        val foreign = TypeId.new("tck_other")
        assertFailsWith<InvalidInputException> { store.new(foreign) }
        assertFailsWith<InvalidInputException> { store.load(foreign) }
        val own = store.created(Added(2))
        assertEquals(2, store.load(own).state.value)
    }

    /**
     * `update` is the command-handler path: the decision must be taken on the latest stored state and its
     * events saved.
     */
    @Test
    public fun `update applies the decision to the latest state`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(5))
        val updated = store.update(id) { state -> listOf(Added(state.value * 2)) }
        assertEquals(15, updated.state.value)
        assertEquals(15, store.load(id).state.value)
    }

    /**
     * Concurrent commands on one aggregate are normal; `update` must resolve version conflicts by reloading
     * and deciding again, so that no command is lost or applied twice.
     */
    @Test
    public fun `concurrent updates retry on conflicts until every one lands`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(0))
        val retry = RetryPolicy(maxAttempts = 50, initialDelay = Duration.ofMillis(1), maxDelay = Duration.ofMillis(20))
        withContext(Dispatchers.Default) {
            repeat(8) { launch { store.update(id, retry) { listOf(Added(1)) } } }
        }
        val loaded = store.load(id)
        assertEquals(8, loaded.state.value)
        assertEquals(9, loaded.version)
    }

    /**
     * A decision that throws is a business rejection (insufficient funds, say), not a conflict; retrying
     * cannot change it, so it runs once, its exception reaches the caller and nothing is saved.
     */
    @Test
    public fun `update never retries a rejected command`(): TestResult = Tck.run {
        val store = store()
        val id = store.created(Added(1))
        var attempts = 0
        assertFailsWith<IllegalStateException> {
            store.update(id) {
                attempts++
                error("insufficient funds")
            }
        }
        assertEquals(1, attempts)
        assertEquals(1, store.load(id).version)
    }

    /**
     * Create-or-update handlers rely on `upsert` creating the aggregate on the first call and deciding on the
     * stored state on later ones.
     */
    @Test
    public fun `upsert creates a missing aggregate and updates an existing one`(): TestResult = Tck.run {
        val store = store()
        val id = TypeId.new(TckCounter.TYPE)
        store.upsert(id) { listOf(Added(3)) }
        store.upsert(id) { state -> listOf(Added(state.value)) }
        val loaded = store.load(id)
        assertEquals(2, loaded.version)
        assertEquals(6, loaded.state.value)
    }
}
