@file:OptIn(EstoriaSpi::class)

package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.fail

class RejectedAppendTest {
    private val stream = TypeId.new("account")
    private val other = TypeId.new("account")
    private val batch = listOf(WritableEvent.of("opened", byteArrayOf(1)), WritableEvent.of("deposited", byteArrayOf(2)))

    private fun stored(at: Long, events: List<WritableEvent> = batch) = events.mapIndexed { i, e ->
        Event(e.id, stream, at + i, 100 + at + i, Instant.EPOCH, e.data, e.contentType, e.metadata)
    }

    @Test
    fun `the same batch at the same versions is the original result`() {
        val result = RejectedAppend.resolve(
            stream, batch, ExpectedVersion.Exact(3),
            findStored = { ids -> listOf(StoredEventRef(ids.single(), stream, 4)) },
            readStored = { from, count -> assertEquals(4L to 2, from to count); stored(4) },
            currentVersion = { fail("unexpected call: currentVersion()") },
        )
        assertEquals(listOf(4L, 5L), result?.events?.map { it.streamVersion })
        assertEquals(5L, result?.nextExpectedVersion)
    }

    @Test
    fun `a first id stored in another stream is a duplicate naming that stream`() {
        val error = assertFailsWith<DuplicateEventException> {
            RejectedAppend.resolve(
                stream, batch, ExpectedVersion.Any,
                findStored = { ids -> listOf(StoredEventRef(ids.single(), other, 1)) },
                readStored = { _, _ -> fail("unexpected call: readStored") },
                currentVersion = { fail("unexpected call: currentVersion()") },
            )
        }
        assertEquals(other, error.existingStreamId)
    }

    @Test
    fun `the same ids with other content or at versions the expectation refuses are a duplicate`() {
        val changed = listOf(batch[0], WritableEvent.of("deposited", byteArrayOf(9), id = batch[1].id))
        for ((expected, content) in listOf(ExpectedVersion.Exact(3) to changed, ExpectedVersion.Exact(1) to batch)) {
            assertFailsWith<DuplicateEventException> {
                RejectedAppend.resolve(
                    stream, batch, expected,
                    findStored = { ids -> listOf(StoredEventRef(ids.single(), stream, 4)) },
                    readStored = { from, _ -> stored(from, content) },
                    currentVersion = { fail("unexpected call: currentVersion()") },
                )
            }
        }
    }

    @Test
    fun `a later id of the batch already stored is a duplicate of that id`() {
        val error = assertFailsWith<DuplicateEventException> {
            RejectedAppend.resolve(
                stream, batch, ExpectedVersion.Any,
                findStored = { ids -> if (batch[1].id in ids) listOf(StoredEventRef(batch[1].id, other, 7)) else emptyList() },
                readStored = { _, _ -> fail("unexpected call: readStored") },
                currentVersion = { fail("unexpected call: currentVersion()") },
            )
        }
        assertEquals(batch[1].id, error.eventId)
        assertEquals(other, error.existingStreamId)
    }

    @Test
    fun `no stored id and a version the expectation refuses is a conflict with the actual version`() {
        val error = assertFailsWith<StreamVersionConflictException> {
            RejectedAppend.resolve(stream, batch, ExpectedVersion.Exact(2), { emptyList() }, { _, _ -> emptyList() }, { 5L })
        }
        assertEquals(5L, error.actual)
        assertFailsWith<StreamVersionConflictException> {
            RejectedAppend.resolve(stream, batch, ExpectedVersion.StreamExists, { emptyList() }, { _, _ -> emptyList() }, { null })
        }
    }

    @Test
    fun `no stored id and a version the expectation accepts is a lost race`() {
        assertNull(RejectedAppend.resolve(stream, batch, ExpectedVersion.Any, { emptyList() }, { _, _ -> emptyList() }, { 5L }))
        assertNull(RejectedAppend.resolve(stream, batch, ExpectedVersion.Exact(5), { emptyList() }, { _, _ -> emptyList() }, { 5L }))
    }

    @Test
    fun `later ids are looked up in chunks the backend can bind`() {
        val big = List(RejectedAppend.ID_CHUNK * 2 + 3) { WritableEvent.of("deposited", byteArrayOf(1)) }
        val asked = ArrayList<Int>()
        RejectedAppend.resolve(stream, big, ExpectedVersion.Any, { ids -> asked += ids.size; emptyList() }, { _, _ -> emptyList() }, { 0L })
        assertEquals(listOf(1, RejectedAppend.ID_CHUNK, RejectedAppend.ID_CHUNK, 2), asked)
    }
}
