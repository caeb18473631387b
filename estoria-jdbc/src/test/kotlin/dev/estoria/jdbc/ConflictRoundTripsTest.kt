package dev.estoria.jdbc

import dev.estoria.error.DuplicateEventException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.live.RecordingDataSource
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * How many statements a refused append costs, on both dialects: the refused write itself and ONE look-up
 * that reads the stream's version and where the batch's ids are stored in one snapshot (an idempotent
 * retry then reads the stored batch). Writers racing on one stream mostly pay this path.
 */
class ConflictRoundTripsTest {
    private fun stores(): List<Pair<RecordingDataSource, JdbcEventStore>> {
        val prefix = "rt${UUID.randomUUID().toString().take(8)}_"
        val options = JdbcStoreOptions.builder().tablePrefix(prefix).build()
        val pg = RecordingDataSource(TestDatabases.postgres())
        val lite = RecordingDataSource(TestDatabases.sqlite())
        return listOf(pg to PostgresEventStore.create(pg.dataSource, options), lite to SqliteEventStore.create(lite.dataSource, options))
    }

    private suspend fun statementsOf(recording: RecordingDataSource, call: suspend () -> Unit): List<String> {
        val before = recording.statements.size
        call()
        return recording.statements.drop(before).filterNot { it.startsWith("PRAGMA") || it.startsWith("BEGIN") || it.startsWith("COMMIT") }
    }

    @Test
    fun `a version conflict costs the refused write and one look-up`() = runBlocking {
        for ((recording, store) in stores()) {
            val id = TypeId.new("rt")
            store.appendStream(id, Tck.events(2))
            for (expected in listOf(ExpectedVersion.Exact(1), ExpectedVersion.NoStream, ExpectedVersion.Exact(0))) {
                val sql = statementsOf(recording) {
                    val e = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, Tck.events(1, first = 3), expected) }
                    assertEquals(2, e.actual)
                }
                assertEquals(2, sql.size, "$store, $expected: $sql")
            }
            val missing = TypeId.new("rt")
            val sql = statementsOf(recording) {
                assertFailsWith<StreamVersionConflictException> { store.appendStream(missing, Tck.events(1), ExpectedVersion.StreamExists) }
            }
            assertEquals(2, sql.size, "$store, StreamExists: $sql")
        }
    }

    @Test
    fun `an idempotent retry and a reused id are still told apart after the one look-up`() = runBlocking {
        for ((recording, store) in stores()) {
            val id = TypeId.new("rt")
            val batch = Tck.events(3)
            val original = store.appendStream(id, batch, ExpectedVersion.NoStream)
            val sql = statementsOf(recording) { assertEquals(original, store.appendStream(id, batch, ExpectedVersion.NoStream)) }
            assertEquals(3, sql.size, "$store: the refused write, the look-up, the read of the stored batch: $sql")
            val reused = WritableEvent.builder("tck_happened", "{}".encodeToByteArray()).id(batch[1].id).build()
            val other = TypeId.new("rt")
            val e = assertFailsWith<DuplicateEventException> { store.appendStream(other, listOf(Tck.event(9), reused), ExpectedVersion.Any) }
            assertEquals(id, e.existingStreamId)
            assertEquals(emptyList(), runCatching { store.readStream(other).toList() }.getOrDefault(emptyList()))
        }
    }
}
