package dev.estoria.testkit.eventstore

import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * The contract of [StreamDeleter]: delete (id reusable) and truncate (later versions kept). What deletes do to the
 * global order is [DeletedEventsGlobalOrderSuite]'s, for stores that have both capabilities.
 */
public abstract class StreamDeleterSuite<S> where S : EventStore, S : StreamDeleter {
    /** The store under test (a store that cannot delete does not compile here); called once per clause. */
    protected abstract fun eventStore(): S

    /**
     * After a delete (an erasure request, say) reading the stream must fail with StreamNotFoundException instead of
     * returning the deleted events.
     */
    @Test
    public fun `a deleted stream reads as not found`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        store.appendStream(id, events(3))
        store.delete(id)
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
    }

    /**
     * A deleted id is free again: recreating it with `NoStream` must start a fresh stream at version 1 that
     * holds only the new events.
     */
    @Test
    public fun `a deleted stream id is written again from version 1`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        store.appendStream(id, events(3))
        store.delete(id)
        val again = store.appendStream(id, events(2, 10), ExpectedVersion.NoStream)
        assertEquals(listOf(1L, 2L), again.events.map { it.streamVersion })
        assertEquals(again.events, store.readStream(id).toList())
    }

    /** Deleting one aggregate's stream must never take events of another stream with it. */
    @Test
    public fun `deleting leaves other streams untouched`(): TestResult = Tck.run {
        val store = eventStore()
        val gone = newStreamId()
        val kept = newStreamId()
        store.appendStream(gone, events(2))
        val keptEvents = store.appendStream(kept, events(2)).events
        store.delete(gone)
        assertFailsWith<StreamNotFoundException> { store.readStream(gone).toList() }
        assertEquals(2, keptEvents.size)
        assertEquals(keptEvents, store.readStream(kept).toList())
    }

    /**
     * Deleting or truncating a stream that does not exist (never written, or already deleted) reports
     * StreamNotFoundException, so a caller with a wrong id notices instead of assuming success.
     */
    @Test
    public fun `deleting a never-written stream fails with StreamNotFoundException`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        assertFailsWith<StreamNotFoundException> { store.delete(id) }
        assertFailsWith<StreamNotFoundException> { store.delete(id, 3) }
        store.appendStream(id, events(1))
        store.delete(id)
        assertFailsWith<StreamNotFoundException> { store.delete(id) }
    }

    /**
     * Truncation drops old history (snapshot retention uses it) while the kept events keep their versions, so
     * version numbers held elsewhere stay valid; every kind of read sees only the kept events.
     */
    @Test
    public fun `truncating removes events up to the version and later events keep their versions`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        val written = store.appendStream(id, events(5)).events
        store.delete(id, 3)
        assertEquals(5, written.size)
        assertEquals(written.drop(3), store.readStream(id).toList())
        assertEquals(written.drop(3).reversed(), store.readStream(id, ReadOptions.BACKWARD).toList())
        assertEquals(written.drop(3), store.readStream(id, ReadOptions(fromVersion = 2)).toList())
    }

    /**
     * Writers holding the stream's version must keep appending with `Exact(version)` after a truncation, and
     * new events continue the numbering instead of restarting it.
     */
    @Test
    public fun `appends after a truncation continue after the last version`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        store.appendStream(id, events(4))
        store.delete(id, 2)
        val next = store.appendStream(id, events(1, 5), ExpectedVersion.Exact(4))
        assertEquals(listOf(5L), next.events.map { it.streamVersion })
        assertEquals(listOf(3L, 4L, 5L), store.readStream(id).toList().map { it.streamVersion })
    }

    /**
     * Truncating everything must not turn the stream into a new one: it reads as empty rather than not found,
     * `NoStream` still conflicts and the next append continues after the old last version.
     */
    @Test
    public fun `truncating every event keeps the stream and its version`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        store.appendStream(id, events(3))
        store.delete(id, 3)
        assertEquals(emptyList(), store.readStream(id).toList())
        assertFailsWith<dev.estoria.error.StreamVersionConflictException> { store.appendStream(id, events(1), ExpectedVersion.NoStream) }
        assertEquals(4, store.appendStream(id, events(1, 4), ExpectedVersion.Exact(3)).nextExpectedVersion)
    }

    /**
     * A truncation to version 0 or below is a caller bug; it must be refused with InvalidInputException before
     * anything is removed.
     */
    @Test
    public fun `truncating to a version below 1 is refused and changes nothing`(): TestResult = Tck.run {
        val store = eventStore()
        val id = newStreamId()
        val written = store.appendStream(id, events(2)).events
        assertFailsWith<InvalidInputException> { store.delete(id, 0) }
        assertFailsWith<InvalidInputException> { store.delete(id, -1) }
        assertEquals(written, store.readStream(id).toList())
    }
}
