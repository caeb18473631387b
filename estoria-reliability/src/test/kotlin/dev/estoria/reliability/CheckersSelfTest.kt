package dev.estoria.reliability

import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals

/** The suites' own checkers can fail: a lost, a duplicated and a changed row are each seen. */
class CheckersSelfTest {
    private fun event(n: Int) = WritableEvent.of("rel_event", """{"n":$n}""".encodeToByteArray())

    @Test
    fun `the ledger counts an acknowledged event that is missing and a refused batch that was stored`(): Unit = runBlocking {
        val store = InMemoryEventStore()
        val stream = TypeId.new("rel_stream")
        val ledger = Ledger()
        ledger.acknowledged(stream, store.appendStream(stream, listOf(event(1)), ExpectedVersion.NoStream))
        val phantom = Event(TypeId.new("rel_event"), stream, 2, 99, Instant.now(), byteArrayOf(), "application/json", emptyMap())
        ledger.acknowledged(stream, AppendResult(listOf(phantom), 2))
        val storedAnyway = listOf(event(3))
        store.appendStream(stream, storedAnyway)
        ledger.refused(stream, storedAnyway)
        val tally = Tally("self-test", "memory", "")
        assertFalse(ledger.verify(store, tally))
        assertEquals(1, tally.lost.get())
        assertEquals(1, tally.duplicated.get())
    }

    @Test
    fun `the table digest changes when a row changes`(): Unit = runBlocking {
        for (backend in listOf(Databases.sqlite("digest"), Databases.postgres("digest"))) {
            val stream = TypeId.new("rel_stream")
            val stored = backend.store.appendStream(stream, listOf(event(1), event(2)))
            val before = backend.tablesDigest()
            assertEquals(before, backend.tablesDigest(), "${backend.name}: a read changes nothing")
            Rows.set(backend, "metadata", "{\"k\":\"v\"}", stored.events[1].globalPosition ?: error("positions"))
            assertNotEquals(before, backend.tablesDigest(), backend.name)
        }
    }
}
