package dev.estoria.event

import dev.estoria.error.InvalidInputException
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class EventInputTest {
    @Test
    fun `reserved metadata keys are refused on user input`() {
        val error = assertFailsWith<InvalidInputException> { WritableEvent.of("opened", ByteArray(1), metadata = mapOf("estoria.version" to "1")) }
        assertTrue(error.message.orEmpty().contains("estoria.version"))
        assertFailsWith<InvalidInputException> { WritableEvent.builder("opened", ByteArray(1)).metadata("estoria.x", "y").build() }
        assertFailsWith<InvalidInputException> { WritableEvent.of("opened", ByteArray(1), metadata = mapOf(" " to "y")) }
    }

    @Test
    fun `an event id must carry the event type`() {
        assertFailsWith<InvalidInputException> { WritableEvent.of("opened", ByteArray(1), id = TypeId.new("closed")) }
        assertFailsWith<InvalidInputException> { WritableEvent.of("Opened", ByteArray(1)) }
    }

    @Test
    fun `writable events copy the caller's payload`() {
        val payload = byteArrayOf(1, 2, 3)
        val event = WritableEvent.of("opened", payload)
        payload[0] = 9
        assertContentEquals(byteArrayOf(1, 2, 3), event.data)
        event.data[1] = 9
        assertContentEquals(byteArrayOf(1, 2, 3), event.data)
    }

    @Test
    fun `bad read options and negative versions are refused`() {
        assertFailsWith<InvalidInputException> { ReadOptions(maxCount = 0) }
        assertFailsWith<InvalidInputException> { ReadOptions(maxCount = -5) }
        assertFailsWith<InvalidInputException> { ReadOptions(fromVersion = 0) }
        assertFailsWith<InvalidInputException> { ReadOptions(fromVersion = -3) }
        assertFailsWith<InvalidInputException> { ExpectedVersion.exact(-1) }
    }

    @Test
    fun `bad global-read and truncate arguments are refused and nothing changes`() = runTest {
        val store = InMemoryEventStore()
        val id = TypeId.new("account")
        store.appendStream(id, listOf(WritableEvent.of("opened", ByteArray(1))))
        assertFailsWith<InvalidInputException> { store.readAll(-1).toList() }
        assertFailsWith<InvalidInputException> { store.readAll(0, 0).toList() }
        assertFailsWith<InvalidInputException> { store.delete(id, 0) }
        assertEquals(1, store.readStream(id).toList().size)
    }

    @Test
    fun `global read options check themselves and read like the positional arguments`() = runTest {
        assertFailsWith<InvalidInputException> { GlobalReadOptions(afterPosition = -1) }
        assertFailsWith<InvalidInputException> { GlobalReadOptions(maxCount = 0) }
        val store = InMemoryEventStore()
        val id = TypeId.new("account")
        store.appendStream(id, List(3) { WritableEvent.of("opened", ByteArray(1)) })
        val first = store.readAll().toList().first().globalPosition ?: error("no position")
        assertEquals(store.readAll(first, 1).toList(), store.readAll(GlobalReadOptions(first, 1)).toList())
        assertEquals(store.readAll().toList(), store.readAll(GlobalReadOptions.ALL).toList())
    }
}
