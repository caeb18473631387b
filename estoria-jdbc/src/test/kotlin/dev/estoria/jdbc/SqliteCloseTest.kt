package dev.estoria.jdbc

import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * A SQLite store is [AutoCloseable]: closing folds the WAL into the database file, so the `.db` file
 * alone is a complete backup (before, the events lived in `-wal` and a copy of the `.db` had no tables);
 * closing twice is harmless; a closed store refuses work with a typed error rather than a driver one.
 */
class SqliteCloseTest {
    @Test
    fun `after close a copy of the db file alone opens with every event`() = runBlocking {
        val dir = Files.createTempDirectory("estoria-close")
        val id = TypeId.new("closing")
        SqliteEventStore.file(dir.resolve("app.db")).use { store -> store.appendStream(id, Tck.events(25)) }
        val copy = Files.createDirectories(dir.resolve("copy")).resolve("app.db")
        Files.copy(dir.resolve("app.db"), copy)
        SqliteEventStore.file(copy, JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build()).use { store ->
            assertEquals((1L..25L).toList(), store.readStream(id).toList().map { it.streamVersion })
        }
    }

    @Test
    fun `closing twice is fine and a closed store refuses work with a StoreException`() = runBlocking {
        val store = SqliteEventStore.file(Files.createTempDirectory("estoria-close").resolve("twice.db"))
        store.appendStream(TypeId.new("closing"), Tck.events(1))
        store.close()
        store.close()
        val e = assertFailsWith<StoreException> { store.appendStream(TypeId.new("closing"), Tck.events(1)) }
        assertEquals(true, "closed" in e.message.orEmpty(), e.message)
        assertFailsWith<StoreException> { store.readAll(0, null).toList() }
        Unit
    }

    @Test
    fun `closing a store on the caller's data source leaves that data source usable`() = runBlocking {
        val dataSource = SqliteEventStore.dataSource(Files.createTempDirectory("estoria-close").resolve("shared.db"))
        val id = TypeId.new("closing")
        SqliteEventStore.create(dataSource).use { it.appendStream(id, Tck.events(2)) }
        assertEquals(2, SqliteEventStore.create(dataSource).readStream(id).toList().size)
    }

    @Test
    fun `closing the SQLite multi-tenant store checkpoints every tenant file and refuses new tenants`() = runBlocking {
        val dir = Files.createTempDirectory("estoria-close")
        val id = TypeId.new("closing")
        val tenants = JdbcTenants.sqliteFiles(dir)
        tenants.forTenant("acme").appendStream(id, Tck.events(3))
        tenants.close()
        tenants.close()
        assertFailsWith<StoreException> { tenants.forTenant("globex") }
        val copy = Files.createDirectories(dir.resolve("copy")).resolve("acme.db")
        Files.copy(dir.resolve("acme.db"), copy)
        SqliteEventStore.file(copy).use { assertEquals(3, it.readStream(id).toList().size) }
    }
}
