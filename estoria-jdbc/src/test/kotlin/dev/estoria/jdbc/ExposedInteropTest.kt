package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.exposed.EstoriaTables
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource
import java.sql.Connection
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame

/**
 * Exposed applications and the JDBC stores share tables and transactions: the Exposed table
 * definitions match the provisioned schema, read exactly what the event store wrote, and a projection
 * commits its read model and its checkpoint in ONE Exposed transaction (effectively once).
 */
class ExposedInteropTest {
    class Backend(val name: String, val dataSource: () -> DataSource, val options: JdbcStoreOptions, val postgres: Boolean) {
        override fun toString(): String = name

        fun tables(): EstoriaTables = if (postgres) EstoriaTables.postgres(options) else EstoriaTables.sqlite(options)

        fun eventStore(): JdbcEventStore =
            if (postgres) PostgresEventStore.create(dataSource(), options) else SqliteEventStore.create(dataSource(), options)

        fun checkpoints(): JdbcCheckpointStore =
            if (postgres) JdbcCheckpointStore.postgres(dataSource(), options) else JdbcCheckpointStore.sqlite(dataSource(), options)

        fun snapshots(): JdbcSnapshotStore =
            if (postgres) JdbcSnapshotStore.postgres(dataSource(), options) else JdbcSnapshotStore.sqlite(dataSource(), options)
    }

    @ParameterizedTest
    @MethodSource("backends")
    fun `the Exposed table definitions match the provisioned schema`(backend: Backend) {
        backend.eventStore()
        backend.checkpoints()
        backend.snapshots()
        val t = backend.tables()
        val missing = transaction(Database.connect(backend.dataSource())) {
            SchemaUtils.addMissingColumnsStatements(t.events, t.streams, t.snapshots, t.checkpoints)
        }
        assertEquals(emptyList(), missing, "columns Exposed would add or change")
    }

    @ParameterizedTest
    @MethodSource("backends")
    fun `Exposed reads the event log exactly as the event store wrote it`(backend: Backend) = runBlocking {
        val store = backend.eventStore()
        val stream = TypeId.new("exposedread")
        val payloads = listOf(byteArrayOf(0, 1, 2, -1), ByteArray(0))
        store.appendStream(
            stream,
            listOf(
                WritableEvent.of("opened", payloads[0], contentType = "application/octet-stream", metadata = mapOf("k" to "v")),
                WritableEvent.of("noted", payloads[1], contentType = ""),
            ),
        )
        val stored = store.readStream(stream).toList()
        val t = backend.tables().events
        val rows = transaction(Database.connect(backend.dataSource())) {
            t.selectAll().where { t.streamId eq stream.toString() }.orderBy(t.streamVersion, SortOrder.ASC).toList()
        }
        assertEquals(stored.size, rows.size)
        for ((event, row) in stored.zip(rows)) {
            assertEquals(event.globalPosition, row[t.globalPosition])
            assertEquals(event.id.toString(), row[t.eventId])
            assertEquals(event.streamVersion, row[t.streamVersion])
            assertEquals(event.type, row[t.type])
            assertEquals(event.timestamp, row[t.createdAt])
            assertEquals(event.contentType, row[t.contentType])
            assertContentEquals(event.data, row[t.data])
        }
        assertEquals("""{"k":"v"}""", rows[0][t.metadata])
        assertEquals("{}", rows[1][t.metadata])
    }

    @ParameterizedTest
    @MethodSource("backends")
    fun `an Exposed transaction commits or rolls back the read model and the checkpoint together`(backend: Backend) = runBlocking {
        val db = Database.connect(backend.dataSource())
        val checkpoints = backend.checkpoints()
        val name = "projection-" + UUID.randomUUID()
        transaction(db) { exec("CREATE TABLE IF NOT EXISTS interop_read_model (id TEXT PRIMARY KEY)") }

        transaction(db) {
            exec("INSERT INTO interop_read_model VALUES ('$name-1')")
            checkpoints.saveInCurrentTransaction(name, 7)
        }
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                exec("INSERT INTO interop_read_model VALUES ('$name-2')")
                checkpoints.saveInCurrentTransaction(name, 9)
                error("the projection failed after writing")
            }
        }
        assertEquals(7L, checkpoints.load(name))
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                exec("INSERT INTO interop_read_model VALUES ('$name-3')")
                checkpoints.saveOn(connection.connection as Connection, name, 11)
                error("the plain-JDBC variant rolls back the same way")
            }
        }
        assertEquals(7L, checkpoints.load(name))
        val rows = transaction(db) {
            exec("SELECT count(*) FROM interop_read_model WHERE id LIKE '$name%'") { rs -> rs.next(); rs.getInt(1) }
        }
        assertEquals(1, rows)
    }

    @ParameterizedTest
    @MethodSource("backends")
    fun `saving in the current transaction outside of one is refused`(backend: Backend) {
        assertFailsWith<InvalidInputException> { backend.checkpoints().saveInCurrentTransaction("p-" + UUID.randomUUID(), 1) }
    }

    @org.junit.jupiter.api.Test
    fun `creating stores never redirects the application's transaction blocks without a database`() {
        TransactionManager.defaultDatabase = null
        val app = Database.connect(TestDatabases.sqlite())
        assertSame(app, TransactionManager.primaryDatabase)
        val dir = TestDatabases.sqliteDir.resolve("default-db-" + UUID.randomUUID())
        JdbcSnapshotStore.sqlite(SqliteEventStore.dataSource(dir.resolve("a.db")))
        JdbcCheckpointStore.sqlite(SqliteEventStore.dataSource(dir.resolve("b.db")))
        assertSame(app, TransactionManager.primaryDatabase, "the application's database stays the one transaction { } uses")
        TransactionManager.defaultDatabase = null
    }

    companion object {
        @JvmStatic
        fun backends(): List<Arguments> = listOf(
            Backend("postgres", TestDatabases::postgres, JdbcStoreOptions.DEFAULT, true),
            Backend("postgres custom", TestDatabases::postgres, TestDatabases.customPg, true),
            Backend("sqlite", TestDatabases::sqlite, JdbcStoreOptions.DEFAULT, false),
            Backend("sqlite custom", TestDatabases::sqlite, TestDatabases.customSqlite, false),
        ).map { Arguments.of(it) }
    }
}
