@file:OptIn(EstoriaSpi::class)

package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class PagedReadsTest {
    private val stream = TypeId.new("account")
    private val log = (1L..10L).map { v ->
        Event(TypeId.new("deposited"), stream, v, v * 10, Instant.EPOCH, byteArrayOf(), "application/json", emptyMap())
    }

    private fun page(r: StreamPageRequest): List<Event> {
        val range = if (r.forward) log.filter { it.streamVersion >= (r.fromVersion ?: 1) } else log.reversed().filter { it.streamVersion <= (r.fromVersion ?: 10) }
        return range.take(r.limit)
    }

    @Test
    fun `stream reads page forward and backward and stop at a short page`() = runTest {
        val requests = ArrayList<StreamPageRequest>()
        val forward = PagedReads.stream(ReadOptions(fromVersion = 2), 4) { requests += it; page(it) }.toList()
        assertEquals((2L..10L).toList(), forward.map { it.streamVersion })
        assertEquals(listOf<Long?>(2, 6, 10), requests.map { it.fromVersion })
        assertEquals(listOf(true, false, false), requests.map { it.first })
        val backward = PagedReads.stream(ReadOptions(direction = ReadDirection.BACKWARD, maxCount = 7), 3) { page(it) }.toList()
        assertEquals((10L downTo 4L).toList(), backward.map { it.streamVersion })
    }

    @Test
    fun `a backward read ends at version 1 without asking for version 0`() = runTest {
        val requests = ArrayList<StreamPageRequest>()
        PagedReads.stream(ReadOptions.BACKWARD, 5) { requests += it; page(it) }.toList()
        assertTrue(requests.all { (it.fromVersion ?: 1) >= 1 })
        assertEquals(2, requests.size)
    }

    @Test
    fun `a global read asks its frontier once and reads every page within it`() = runTest {
        var frontierCalls = 0
        val seenBounds = HashSet<Long>()
        val read = PagedReads.global(
            afterPosition = 20, maxCount = null, pageSize = 3,
            frontier = { frontierCalls++; 80L },
        ) { bound, after, limit -> seenBounds += bound; log.filter { it.globalPosition!! in (after + 1)..bound }.take(limit) }.toList()
        assertEquals((30L..80L step 10).toList(), read.map { it.globalPosition })
        assertEquals(1, frontierCalls)
        assertEquals(setOf(80L), seenBounds)
    }

    @Test
    fun `global reads refuse bad arguments when collected`() = runTest {
        assertFailsWith<InvalidInputException> { PagedReads.global(-1, null, 3, { 0L }) { _, _, _ -> emptyList() }.toList() }
        assertFailsWith<InvalidInputException> { PagedReads.global(0, 0, 3, { 0L }) { _, _, _ -> emptyList() }.toList() }
        assertFailsWith<InvalidInputException> { PagedReads.stream(ReadOptions.FORWARD, 0) { emptyList() } }
    }
}
