package dev.estoria.jdbc

import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Batches above the 1,000-row statement size are written in one transaction of several statements. */
class LargeBatchTest {
    private fun check(store: JdbcEventStore) = runBlocking {
        val id = TypeId.new("large")
        val batch = Tck.events(2_500)
        assertFailsWith<StreamVersionConflictException> { store.appendStream(id, batch, ExpectedVersion.StreamExists) }
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        val stored = store.appendStream(id, batch, ExpectedVersion.NoStream)
        assertEquals(2_500, stored.nextExpectedVersion)
        assertEquals((1L..2_500L).toList(), stored.events.map { it.streamVersion })
        assertEquals(stored.events, store.readStream(id).toList())
        assertEquals(stored, store.appendStream(id, batch, ExpectedVersion.NoStream))
        val more = store.appendStream(id, Tck.events(1_200, first = 3_000), ExpectedVersion.Exact(2_500))
        assertEquals(3_700, more.nextExpectedVersion)
        assertEquals(stored.events + more.events, store.readStream(id).toList())
        val positions = store.readStream(id).toList().map { it.globalPosition!! }
        assertEquals(positions.sorted(), positions)
        assertEquals(positions.toSet().size, positions.size)
    }

    @Test
    fun `postgres large batches are atomic, ordered and idempotent`() {
        check(TestDatabases.pgDefault)
    }

    @Test
    fun `sqlite large batches are atomic, ordered and idempotent`() {
        check(TestDatabases.sqliteDefault)
    }
}
