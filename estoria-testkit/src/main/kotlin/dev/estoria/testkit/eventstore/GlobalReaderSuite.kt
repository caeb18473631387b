package dev.estoria.testkit.eventstore

import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The contract of [GlobalReader]: one global order over all streams, a stable prefix that
 * subscribers can resume from without skipping events.
 */
public abstract class GlobalReaderSuite<S> where S : EventStore, S : GlobalReader {
    /** The store under test (a store without a global order does not compile here); called once per clause. */
    protected abstract fun eventStore(): S

    private fun race(mode: RaceMode): TestResult = Tck.run {
        val store = eventStore()
        StreamOrderRace.run(store, store, mode)
    }

    /** All events after [after] that belong to [streams], read in pages of [page]. */
    private suspend fun GlobalReader.readOwn(after: Long, streams: Set<TypeId>, page: Int? = null): List<Event> {
        if (page == null) return readAll(after).toList().filter { it.streamId in streams }
        val out = ArrayList<Event>()
        var position = after
        while (true) {
            val batch = readAll(position, page).toList()
            if (batch.isEmpty()) return out
            out += batch.filter { it.streamId in streams }
            position = batch.last().globalPosition ?: fail("readAll returned an event without a position")
        }
    }

    /**
     * Projections order and checkpoint by global position; positions must strictly increase and equal those
     * stream reads report, so a position means the same whichever read produced it.
     */
    @Test
    public fun `positions strictly increase and equal the positions stream reads report`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        val a = newStreamId()
        val b = newStreamId()
        store.appendStream(a, events(2))
        store.appendStream(b, events(3))
        store.appendStream(a, events(1, 3))
        val all = reader.readOwn(head, setOf(a, b))
        assertEquals(6, all.size)
        val positions = all.map { it.globalPosition ?: fail("no position") }
        assertEquals(positions.sorted().distinct(), positions, "positions must strictly increase")
        assertTrue(positions.first() > head)
        val fromStreams = (store.readStream(a).toList() + store.readStream(b).toList()).sortedBy { it.globalPosition }
        assertEquals(fromStreams, all)
    }

    /**
     * Projections spanning several streams depend on seeing events in commit order, so that across aggregates
     * a cause is never seen after its effect.
     */
    @Test
    public fun `readAll follows the order in which appends committed`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        val ids = List(4) { newStreamId() }
        val appended = ids.flatMap { store.appendStream(it, events(2)).events }
        assertEquals(8, appended.size)
        assertEquals(appended, reader.readOwn(head, ids.toSet()))
    }

    /**
     * A subscriber checkpoints the last position it processed and restarts from there; resuming after any
     * returned position, or reading in small pages, must yield exactly the remaining events.
     */
    @Test
    public fun `readAll resumes after any position it returned`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        val id = newStreamId()
        val appended = store.appendStream(id, events(7)).events
        assertEquals(7, appended.size)
        for (cut in appended.indices) {
            val after = appended[cut].globalPosition ?: fail("no position")
            assertEquals(appended.drop(cut + 1), reader.readOwn(after, setOf(id)))
        }
        assertEquals(appended, reader.readOwn(head, setOf(id), page = 2))
    }

    /**
     * Subscribers read the global order in bounded batches to cap memory and transaction size; `maxCount`
     * must be honoured.
     */
    @Test
    public fun `maxCount limits readAll`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        store.appendStream(newStreamId(), events(5))
        assertEquals(3, reader.readAll(head, 3).toList().size)
        assertEquals(1, reader.readAll(head, 1).toList().size)
    }

    /**
     * A corrupted checkpoint (negative position) or a bad page size must fail loudly with InvalidInputException
     * instead of silently reading from elsewhere, and leave the stored events untouched.
     */
    @Test
    public fun `readAll refuses a negative position or a maxCount below 1 and changes nothing`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val id = newStreamId()
        val written = store.appendStream(id, events(2)).events
        assertFailsWith<InvalidInputException> { reader.readAll(-1).toList() }
        assertFailsWith<InvalidInputException> { reader.readAll(0, 0).toList() }
        assertFailsWith<InvalidInputException> { reader.readAll(0, -5).toList() }
        assertEquals(written, store.readStream(id).toList())
    }

    /**
     * Subscribers use `headPosition` to start at "now" without replaying history, or to measure their lag; it
     * must be the last appended event's position, with nothing of that append after it.
     */
    @Test
    public fun `headPosition is the position of the last appended event`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val appended = store.appendStream(newStreamId(), events(3)).events
        val head = reader.headPosition()
        assertEquals(appended.last().globalPosition, head)
        assertEquals(emptyList(), reader.readAll(head).toList().filter { it.streamId == appended[0].streamId })
    }

    /**
     * Live subscribers poll while writers commit concurrently; an event must never appear behind a position
     * already returned, or a subscriber resuming from its checkpoint would skip it for good.
     */
    @Test
    public fun `readAll is a stable prefix while writers race it`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        val streams = List(6) { newStreamId() }
        val own = streams.toSet()
        val seen = ArrayList<Event>()
        withContext(Dispatchers.Default) {
            val writers = streams.map { id -> async { repeat(10) { store.appendStream(id, events(2)) } } }
            var position = head
            var done = false
            while (!done) {
                done = writers.all { it.isCompleted }
                val page = reader.readAll(position, 50).toList()
                if (page.isNotEmpty()) {
                    seen += page.filter { it.streamId in own }
                    position = page.last().globalPosition ?: fail("no position")
                } else {
                    yield()
                }
                if (done) {
                    while (true) {
                        val rest = reader.readAll(position).toList()
                        if (rest.isEmpty()) break
                        seen += rest.filter { it.streamId in own }
                        position = rest.last().globalPosition ?: fail("no position")
                    }
                }
            }
            writers.awaitAll()
        }
        val everything = reader.readOwn(head, own)
        assertEquals(120, everything.size)
        assertEquals(everything.map { it.id }, seen.map { it.id }, "a subscriber resuming after the last position it saw must see every event once, in order")
    }

    /**
     * A projection applies the global log in order; if one stream's versions came out of order (93 before
     * 90) it would apply an aggregate's events out of order. Racing writers in every expected-version mode
     * must leave each stream's positions rising with its versions.
     */
    @Test
    public fun `within one stream positions rise with versions when writers race with Any`(): TestResult =
        race(RaceMode.ANY)

    /** As above, for writers appending with `StreamExists`. */
    @Test
    public fun `within one stream positions rise with versions when writers race with StreamExists`(): TestResult =
        race(RaceMode.STREAM_EXISTS)

    /** As above, for writers appending with `Exact` and retrying on conflict (what `update` does). */
    @Test
    public fun `within one stream positions rise with versions when writers race with Exact and retry`(): TestResult =
        race(RaceMode.EXACT)

    /** As above, with writers mixing `Any`, `StreamExists` and `Exact` on the same streams. */
    @Test
    public fun `within one stream positions rise with versions when writers race with mixed modes`(): TestResult =
        race(RaceMode.MIXED)

    /**
     * `readAll` has a fixed frontier: it returns what was visible when it started and ends there, so a read
     * of a long log terminates and "caught up" means something; a consumer tails by reading again from
     * its last position. Appends committing while a read pages (more events than any page size) are not
     * returned by that read and are returned by the next.
     */
    @Test
    public fun `readAll ends at the frontier of its start and leaves later commits to the next read`(): TestResult = Tck.run {
        val store = eventStore()
        val reader = store
        val head = reader.headPosition()
        val before = newStreamId()
        val during = newStreamId()
        val written = store.appendStream(before, events(FRONTIER_EVENTS)).events
        val seen = ArrayList<Event>()
        reader.readAll(head).collect { event ->
            if (seen.isEmpty()) store.appendStream(during, events(3))
            seen += event
        }
        assertEquals(written, seen.filter { it.streamId == before }, "the read returns everything visible when it started")
        assertEquals(emptyList(), seen.filter { it.streamId == during }, "appends committed while the read paged are not returned by it")
        val last = seen.last().globalPosition ?: fail("no position")
        assertEquals(store.readStream(during).toList(), reader.readOwn(last, setOf(during)), "the next read returns them")
    }

    private companion object {
        /** More events than any backend's page size, so that the read pages while the append commits. */
        const val FRONTIER_EVENTS = 1_100
    }
}
