package dev.estoria.jdbc

import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.jdbc.live.RecordingDataSource
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A large append's statement does not grow with its batch: its events travel as five arrays, not a
 * `VALUES` list of five parameters per event. A thousand-event `VALUES` statement (5,000 parameters)
 * costs PostgreSQL about as much to parse and plan as to insert its rows whenever the driver has not
 * prepared it on that connection yet, which a pool spreading calls over its connections makes the
 * common case (bulk appends ran at half of raw JDBC's speed in estoria-bench).
 */
class PostgresBulkStatementTest {
    @Test
    fun `a large append sends a statement of a few parameters, whatever its size`() = runBlocking {
        val recording = RecordingDataSource(TestDatabases.postgres())
        val options = JdbcStoreOptions.builder().tablePrefix("bk${UUID.randomUUID().toString().take(8)}_").build()
        val store = PostgresEventStore.create(recording.dataSource, options)
        val id = TypeId.new("bulk")
        var version = 0L
        var first = 1
        val appended = ArrayList<String>()
        for (size in listOf(33, 500, 1_000, 2_500)) {
            val before = recording.statements.size
            val batch = Tck.events(size, first = first)
            appended += batch.map { it.id.toString() }
            val stored = store.appendStream(id, batch, ExpectedVersion.Exact(version))
            assertEquals(((version + 1)..(version + size)).toList(), stored.events.map { it.streamVersion })
            val inserts = recording.statements.drop(before).filter { it.contains("INSERT INTO") }
            assertTrue(inserts.isNotEmpty(), "$size events: no insert recorded")
            for (sql in inserts) {
                val parameters = sql.count { it == '?' }
                assertTrue(parameters <= 16, "$size events: a statement of $parameters parameters, ${sql.length} characters")
            }
            version += size
            first += size
        }
        val read = store.readStream(id).toList()
        assertEquals((1L..version).toList(), read.map { it.streamVersion })
        assertEquals(appended, read.map { it.id.toString() })
        assertEquals((1..version.toInt()).map { """{"n":$it}""" }, read.map { it.data.decodeToString() })
        val positions = read.map { it.globalPosition ?: 0L }
        assertEquals(positions.sorted(), positions)
        assertEquals(positions.size, positions.toSet().size)
        store.close()
    }
}
