package dev.estoria.jdbc

import dev.estoria.error.StreamNotFound
import dev.estoria.error.StreamVersionConflict
import dev.estoria.error.DuplicateEvent
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.ReadDirection
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

abstract class SmokeContract {
    abstract fun store(): JdbcEventStore

    private fun ev(n: Int, meta: Map<String, String> = emptyMap(), ct: String = "application/json") =
        WritableEvent.of("thing_happened", "{\"n\":$n}".toByteArray(), ct, meta)

    @Test
    fun `append and read back`() = runBlocking {
        val s = store()
        val id = TypeId.new("smoke")
        val r = s.appendStream(id, listOf(ev(1, mapOf("a" to "b")), ev(2, ct = "")), ExpectedVersion.NoStream)
        assertEquals(2, r.nextExpectedVersion)
        val read = s.readStream(id).toList()
        assertEquals(r.events, read)
        val back = s.readStream(id, ReadOptions(direction = ReadDirection.BACKWARD)).toList()
        assertEquals(r.events.reversed(), back)
        val e = assertFailsWith<StreamVersionConflict> { s.appendStream(id, listOf(ev(3)), ExpectedVersion.Exact(1)) }
        assertEquals(2, e.actual)
        val again = s.appendStream(id, listOf(ev(3)), ExpectedVersion.Exact(2))
        assertEquals(3, again.nextExpectedVersion)
        // idempotent re-append
        val batch = listOf(ev(4), ev(5))
        val first = s.appendStream(id, batch, ExpectedVersion.Exact(3))
        val retry = s.appendStream(id, batch, ExpectedVersion.Exact(3))
        assertEquals(first, retry)
        assertFailsWith<DuplicateEvent> { s.appendStream(TypeId.new("smoke"), batch) }
        assertFailsWith<StreamNotFound> { s.readStream(TypeId.new("smoke")).toList() }
        val all = s.readAll(0).toList()
        assert(all.containsAll(s.readStream(id).toList()))
        assert(s.headPosition() >= first.events.last().globalPosition!!)
        s.delete(id, 2)
        assertEquals(listOf(3L, 4L, 5L), s.readStream(id).toList().map { it.streamVersion })
        s.delete(id)
        assertFailsWith<StreamNotFound> { s.readStream(id).toList() }
        assertEquals(1, s.appendStream(id, listOf(ev(1)), ExpectedVersion.NoStream).nextExpectedVersion)
        val big = (1..2500).map { ev(it) }
        val bigId = TypeId.new("smoke")
        val br = s.appendStream(bigId, big)
        assertEquals(2500, br.nextExpectedVersion)
        assertEquals(br.events, s.readStream(bigId).toList())
    }
}

class PostgresSmokeTest : SmokeContract() {
    override fun store(): JdbcEventStore = TestDatabases.pgDefault
}

class SqliteSmokeTest : SmokeContract() {
    override fun store(): JdbcEventStore = TestDatabases.sqliteDefault
}
