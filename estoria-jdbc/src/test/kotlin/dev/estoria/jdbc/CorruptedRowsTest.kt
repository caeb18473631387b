package dev.estoria.jdbc

import dev.estoria.error.CorruptedDataException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * A row edited behind the store's back is stored data gone bad, not the caller's input: reads report
 * [CorruptedDataException] naming the stream, the global position and the field, a global reader halts
 * there instead of skipping it, and repairing the row (as docs/semantics.md tells operators) resumes reading.
 */
class CorruptedRowsTest {
    private class Case(val column: String, val value: String, val field: String, val streamReadFails: Boolean = true)

    private val cases = listOf(
        Case("event_id", "not_an_id", "event_id"),
        Case("stream_id", "tck_stream_not-a-uuid", "stream_id", streamReadFails = false),
        Case("metadata", "not json", "metadata"),
        Case("metadata", "{\"k\":1}", "metadata"),
    )

    private fun check(store: JdbcEventStore, dataSource: DataSource, events: String) = runBlocking {
        for (case in cases) {
            val id = TypeId.new("tck_stream")
            val stored = store.appendStream(id, Tck.events(3)).events
            val victim = stored[1]
            val position = victim.globalPosition ?: error("JDBC events have global positions")
            val original = sql(dataSource, "SELECT ${case.column} FROM $events WHERE global_position = $position")
            update(dataSource, events, case.column, case.value, position)

            val before = (stored[0].globalPosition ?: position) - 1
            val e = assertFailsWith<CorruptedDataException>(case.value) { store.readAll(before).toList() }
            assertEquals(position, e.globalPosition)
            assertEquals(case.field, e.field)
            assertEquals(if (case.field == "stream_id") case.value else id.toString(), e.streamId)
            // the reader halts at the corrupted row: the events before it are read, none after it is skipped to
            assertEquals(stored.take(1), store.readAll(before, maxCount = 1).toList())
            if (case.streamReadFails) {
                val inStream = assertFailsWith<CorruptedDataException> { store.readStream(id).toList() }
                assertEquals(position, inStream.globalPosition)
            }

            // the repair docs/semantics.md describes: restore (or delete) the row, and reading resumes
            update(dataSource, events, case.column, original, position)
            assertEquals(stored, store.readStream(id).toList())
            assertEquals(stored, store.readAll(before, maxCount = 3).toList())
        }
    }

    private fun sql(dataSource: DataSource, query: String): String = dataSource.connection.use { c ->
        c.createStatement().use { st -> st.executeQuery(query).use { rs -> rs.next(); rs.getString(1) } }
    }

    private fun update(dataSource: DataSource, events: String, column: String, value: String, position: Long) {
        dataSource.connection.use { c ->
            c.prepareStatement("UPDATE $events SET $column = ? WHERE global_position = ?").use { ps ->
                ps.setString(1, value)
                ps.setLong(2, position)
                assertEquals(1, ps.executeUpdate())
            }
        }
    }

    @Test
    fun `a corrupted row on PostgreSQL is reported as CorruptedDataException naming stream, position and field`() {
        val schema = "estoria_corrupt_" + UUID.randomUUID().toString().take(8)
        val store = PostgresEventStore.create(TestDatabases.postgres(), JdbcStoreOptions.builder().schema(schema).build())
        check(store, TestDatabases.postgres(), "$schema.estoria_events")
    }

    @Test
    fun `a corrupted row on SQLite is reported as CorruptedDataException naming stream, position and field`() {
        val source = SqliteEventStore.dataSource(TestDatabases.sqliteDir.resolve("corrupt-${UUID.randomUUID()}.db"))
        check(SqliteEventStore.create(source), source, "estoria_events")
    }
}
