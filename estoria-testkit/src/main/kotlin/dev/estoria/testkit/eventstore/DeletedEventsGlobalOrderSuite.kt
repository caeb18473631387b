package dev.estoria.testkit.eventstore

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * What deleting and truncating do to the global order, for stores that are both a [StreamDeleter] and a
 * [GlobalReader] (a store with only one of them does not compile here).
 */
public abstract class DeletedEventsGlobalOrderSuite<S> where S : EventStore, S : StreamDeleter, S : GlobalReader {
    /** The store under test; called once per clause. */
    protected abstract fun eventStore(): S

    /**
     * Removed data must be gone everywhere: deleted and truncated events must also vanish from readAll, or
     * subscribers replaying the global order would still see them.
     */
    @Test
    public fun `deleted and truncated events disappear from the global order`(): TestResult = Tck.run {
        val store = eventStore()
        val head = store.headPosition()
        val deleted = newStreamId()
        val truncated = newStreamId()
        store.appendStream(deleted, events(2))
        val kept = store.appendStream(truncated, events(3)).events
        store.delete(deleted)
        store.delete(truncated, 1)
        val own = store.readAll(head).toList().filter { it.streamId == deleted || it.streamId == truncated }
        assertEquals(2, own.size)
        assertEquals(kept.drop(1), own)
        assertTrue(own.none { it.streamId == deleted })
    }
}
