package dev.estoria.mongo

import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Eight writers race on one stream in each expected-version mode. Positions are reserved after the head
 * is read, so within a stream they must rise with versions, and `readAll` must show the stream in version
 * order, on both layouts.
 */
class RacingWritersTest {
    private val stores = listOf(MongoStores.single, MongoStores.perType)

    private fun assertOrdered(stream: List<Event>, global: List<Event>) {
        assertEquals((1L..stream.size).toList(), stream.map { it.streamVersion })
        val positions = stream.map { it.globalPosition ?: error("no position") }
        assertEquals(positions.sorted().distinct(), positions, "positions rise with versions")
        assertEquals(stream, global.filter { it.streamId == stream.first().streamId }, "readAll shows the stream in version order")
    }

    private suspend fun race(store: MongoEventStore, block: suspend (writer: Int) -> Unit): Pair<List<Event>, List<Event>> =
        withContext(Dispatchers.Default) {
            (0 until 8).map { w -> async { block(w) } }.awaitAll()
            val id = lastId
            store.readStream(id).toList() to store.readAll().toList()
        }

    private var lastId = newStreamId()

    /** `Any` writers all land, each batch whole, in an order readAll agrees with. */
    @Test
    fun `racing Any writers keep positions rising with versions`() = Tck.run {
        for (store in stores) {
            lastId = newStreamId()
            val (stream, global) = race(store) { repeat(5) { store.appendStream(lastId, events(2), ExpectedVersion.Any) } }
            assertEquals(80, stream.size)
            assertOrdered(stream, global)
        }
    }

    /** `Exact` writers that re-read and retry on conflict: one winner per version, positions in version order. */
    @Test
    fun `racing Exact writers keep positions rising with versions`() = Tck.run {
        for (store in stores) {
            lastId = newStreamId()
            val (stream, global) = race(store) {
                repeat(4) {
                    while (true) {
                        val current = runCatching { store.readStream(lastId).toList().size.toLong() }.getOrDefault(0L)
                        try {
                            store.appendStream(lastId, events(1), ExpectedVersion.Exact(current))
                            break
                        } catch (e: StreamVersionConflictException) {
                            // re-read and retry
                        }
                    }
                }
            }
            assertEquals(32, stream.size)
            assertOrdered(stream, global)
        }
    }

    /** `NoStream` racers: exactly one creates the stream; `StreamExists` racers then all land in order. */
    @Test
    fun `racing NoStream and StreamExists writers keep positions rising with versions`() = Tck.run {
        for (store in stores) {
            lastId = newStreamId()
            var created = 0
            val (afterCreate, _) = race(store) {
                try {
                    store.appendStream(lastId, events(3), ExpectedVersion.NoStream)
                    synchronized(this) { created++ }
                } catch (e: StreamVersionConflictException) {
                    assertTrue(e.actual >= 3)
                }
            }
            assertEquals(1, created)
            assertEquals(3, afterCreate.size)
            val (stream, global) = race(store) { repeat(3) { store.appendStream(lastId, events(1), ExpectedVersion.StreamExists) } }
            assertEquals(27, stream.size)
            assertOrdered(stream, global)
        }
    }
}
