package dev.estoria.kurrent

import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.kurrent.internal.StreamNames
import dev.estoria.testkit.Tck.event
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import io.kurrent.dbclient.ClientErrors
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import org.junit.jupiter.api.Test
import java.util.concurrent.CompletionException
import java.util.concurrent.ExecutionException
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue

/** The mapping between the library's model and KurrentDB, against the fake client (no server needed). */
class KurrentMappingTest {
    private val fake = FakeKurrent()
    private val store = fake.store(KurrentStoreOptions(streamPrefix = "app", pageSize = 7))

    @Test
    fun `a stream id is the stream prefix-type_uuid and only valid prefixes are accepted`() = runTest {
        val id = newStreamId()
        store.appendStream(id, events(1))
        assertEquals("app-$id", fake.appendStates.single().first)
        val names = StreamNames("app")
        assertEquals(id, names.parse("app-$id"))
        assertNull(names.parse("$id"), "another prefix's (here: none) stream is not this store's")
        assertNull(names.parse("app-other-$id"))
        assertNull(StreamNames(null).parse("app-$id"), "a prefixed name is no stream of the store without prefix")
        assertNull(StreamNames(null).parse("\$ce-$id"))
        for (bad in listOf("", "a-b", "\$sys", "Upper", "x_", "1abc")) {
            assertFailsWith<InvalidInputException>(bad) { KurrentStoreOptions(streamPrefix = bad) }
        }
    }

    @Test
    fun `every expected version is sent as the explicit stream state seen, and version is revision + 1`() = runTest {
        val id = newStreamId()
        assertEquals(2, store.appendStream(id, events(2), ExpectedVersion.NoStream).nextExpectedVersion)
        store.appendStream(id, events(1, 3), ExpectedVersion.Exact(2))
        store.appendStream(id, events(1, 4), ExpectedVersion.Any)
        store.appendStream(id, events(1, 5), ExpectedVersion.StreamExists)
        val states = fake.appendStates.map { it.second }
        assertEquals(listOf(StreamState.noStream(), StreamState.streamRevision(1), StreamState.streamRevision(2), StreamState.streamRevision(3)), states)
        assertEquals((1L..5L).toList(), store.readStream(id).toList().map { it.streamVersion })
    }

    @Test
    fun `content type and metadata travel in a JSON-object envelope in the metadata bytes`() = runTest {
        val id = newStreamId()
        val written = listOf(
            event(1, metadata = mapOf("k" to "v", "ünï" to "✓")),
            WritableEvent.of("tck_binary", byteArrayOf(0, 1, 2), "", emptyMap()),
            WritableEvent.of("tck_text", "x".encodeToByteArray(), "text/plain; charset=utf-8", mapOf("\$correlationId" to "c")),
        )
        val stored = store.appendStream(id, written).events
        val envelopes = fake.metadataWritten.map { Json.parseToJsonElement(it.decodeToString()).jsonObject }
        assertEquals(JsonObject(mapOf("estoria.v" to JsonPrimitive("1"), "estoria.contentType" to JsonPrimitive("application/json"), "k" to JsonPrimitive("v"), "ünï" to JsonPrimitive("✓"))), envelopes[0])
        assertEquals(listOf("application/json", "application/octet-stream", "application/octet-stream"), fake.contentTypesWritten)
        assertEquals(listOf("application/json", "", "text/plain; charset=utf-8"), stored.map { it.contentType })
        assertEquals(written.map { it.metadata }, stored.map { it.metadata })
        assertContentEquals(byteArrayOf(0, 1, 2), stored[1].data)
        assertEquals(stored, store.readStream(id).toList())
    }

    @Test
    fun `an event in one of the store's streams without an envelope is stored data that cannot be read, not bad input`() = runTest {
        val id = newStreamId()
        fake.writeForeign("app-$id")
        val error = assertFailsWith<StoreException> { store.readStream(id).toList() }
        assertEquals(id, error.streamId)
        assertFailsWith<StoreException> { store.readAll().toList() }
    }

    @Test
    fun `a wrong expected version becomes a conflict with the actual version`() = runTest {
        val id = newStreamId()
        store.appendStream(id, events(2))
        val conflict = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 3), ExpectedVersion.Exact(1)) }
        assertEquals(2, conflict.actual)
        assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 3), ExpectedVersion.NoStream) }
        assertFailsWith<StreamVersionConflictException> { store.appendStream(newStreamId(), events(1), ExpectedVersion.StreamExists) }
    }

    @Test
    fun `client failures are translated by type, unwrapped from ExecutionException and CompletionException, cause kept`() = runTest {
        val lost = IllegalStateException("connection reset")
        fake.failNextAppend = ExecutionException(CompletionException(lost))
        val unknown = assertFailsWith<AppendOutcomeUnknownException> { store.appendStream(newStreamId(), events(1)) }
        assertSame(lost, unknown.cause)

        fake.failNextAppend = ClientErrors.notLeader()
        val notLeader = assertFailsWith<StoreException> { store.appendStream(newStreamId(), events(1)) }
        assertIs<io.kurrent.dbclient.NotLeaderException>(notLeader.cause)
        assertTrue(notLeader !is AppendOutcomeUnknownException, "a follower refused the write: nothing was written")

        val small = FakeKurrent(maxRecordSize = 10).store()
        val tooLarge = assertFailsWith<EventTooLargeException> { small.appendStream(newStreamId(), listOf(event(123456789))) }
        assertEquals(10, tooLarge.limit)

        val readFailure = IllegalStateException("unavailable")
        val id = newStreamId()
        store.appendStream(id, events(1))
        fake.failNextRead = CompletionException(readFailure)
        val read = assertFailsWith<StoreException> { store.readStream(id).toList() }
        assertSame(readFailure, read.cause)
        fake.failNextRead = readFailure
        assertSame(readFailure, assertFailsWith<StoreException> { store.readAll().toList() }.cause)
    }

    @Test
    fun `a lost reply is AppendOutcomeUnknownException and the retry returns the original result in every mode`() = runTest {
        for (mode in listOf(ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.Exact(0), ExpectedVersion.StreamExists)) {
            val id = newStreamId()
            if (mode == ExpectedVersion.StreamExists) store.appendStream(id, events(1, 100))
            val batch = events(2)
            fake.failNextAppend = IllegalStateException("reply lost")
            fake.afterWrite = true
            assertFailsWith<AppendOutcomeUnknownException>("$mode") { store.appendStream(id, batch, mode) }
            fake.afterWrite = false
            val retried = store.appendStream(id, batch, mode)
            assertEquals(batch.map { it.id }, retried.events.map { it.id }, "$mode")
            assertEquals(store.readStream(id).toList().takeLast(2), retried.events, "$mode: written once")
        }
    }

    @Test
    fun `a reused id is found near the end of the stream or of all, and an Exact retry at its slot however far back`() = runTest {
        val narrow = fake.store(KurrentStoreOptions(streamPrefix = "app", duplicateWindow = 2))
        val id = newStreamId()
        val batch = events(2)
        val original = narrow.appendStream(id, batch, ExpectedVersion.Exact(0))
        repeat(3) { narrow.appendStream(id, events(1, 10 + it)) }
        assertEquals(original, narrow.appendStream(id, batch, ExpectedVersion.Exact(0)), "the slot of an Exact retry is read directly")
        // documented limit: with Any, an id further back than the window is not seen and is written again
        narrow.appendStream(id, batch, ExpectedVersion.Any)
        assertEquals(7, narrow.readStream(id).toList().size)
        val other = newStreamId()
        val recent = narrow.appendStream(id, events(1, 20)).events
        assertFailsWith<DuplicateEventException> { narrow.appendStream(other, listOf(event(20).let { WritableEvent.of(it.type, it.data, id = recent[0].id) })) }
        assertFailsWith<StreamNotFoundException> { narrow.readStream(other).toList() }
    }

    @Test
    fun `stream reads are paged, never one unbounded read`() = runTest {
        val id = newStreamId()
        repeat(10) { store.appendStream(id, events(10, it * 10 + 1)) }
        fake.readCounts.clear()
        assertEquals((1L..100L).toList(), store.readStream(id).toList().map { it.streamVersion })
        assertTrue(fake.readCounts.all { it <= 7 }, "pages of at most pageSize: ${fake.readCounts}")
        assertEquals((100L downTo 91L).toList(), store.readStream(id, ReadOptions.BACKWARD).take(10).toList().map { it.streamVersion })
    }

    @Test
    fun `readAll skips system records and other prefixes, and ends at the frontier fixed when it starts`() = runTest {
        val other = fake.store(KurrentStoreOptions(streamPrefix = "other"))
        val unprefixed = fake.store()
        val head = store.headPosition()
        val mine = newStreamId()
        repeat(5) {
            store.appendStream(mine, events(2, it * 2 + 1))
            other.appendStream(newStreamId(), events(3))
            unprefixed.appendStream(newStreamId(), events(1))
            fake.writeForeign("foreign-stream")
        }
        store.truncate(mine, 1) // a $$ metadata record
        val seen = store.readAll(head).toList()
        assertEquals(store.readStream(mine).toList().map { it.id }, seen.filter { it.streamVersion > 1 }.map { it.id })
        assertTrue(seen.all { it.streamId == mine })
        assertEquals(seen.last().globalPosition, store.headPosition())
        // frontier: events appended while the read is being collected are left to the next read
        var appended = false
        val during = store.readAll(head).toList()
        val flow = store.readAll(head)
        val collected = ArrayList<Long>()
        flow.collect {
            if (!appended) {
                appended = true
                store.appendStream(mine, events(20, 100))
            }
            collected += it.streamVersion
        }
        assertEquals(during.size, collected.size)
    }

    @Test
    fun `soft delete continues revisions, a tombstone is permanent, truncation keeps versions`() = runTest {
        val id = newStreamId()
        store.appendStream(id, events(3))
        store.truncate(id, 2)
        assertEquals(listOf(3L), store.readStream(id).toList().map { it.streamVersion })
        assertEquals(4, store.appendStream(id, events(1, 4), ExpectedVersion.Exact(3)).nextExpectedVersion)
        assertFailsWith<InvalidInputException> { store.truncate(id, 0) }

        store.softDelete(id)
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        assertEquals(listOf(5L), store.appendStream(id, events(1, 5)).events.map { it.streamVersion }, "KurrentDB continues the revisions")

        store.tombstone(id)
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        val refused = assertFailsWith<StoreException> { store.appendStream(id, events(1, 6)) }
        assertIs<io.kurrent.dbclient.StreamDeletedException>(refused.cause)
        assertFailsWith<StreamNotFoundException> { store.softDelete(newStreamId()) }
        assertFailsWith<StreamNotFoundException> { store.truncate(newStreamId(), 1) }
        store.close()
        assertEquals(1, fake.closed.get())
    }
}
