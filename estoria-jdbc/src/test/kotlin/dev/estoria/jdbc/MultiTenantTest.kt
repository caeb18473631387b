package dev.estoria.jdbc

import dev.estoria.tenancy.TenantContext
import dev.estoria.tenancy.MultiTenantEventStore
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class MultiTenantTest {
    private fun tenants(): Pair<String, String> {
        val run = UUID.randomUUID().toString().take(8)
        return "a_$run" to "b_$run"
    }

    private fun isolation(store: MultiTenantEventStore<JdbcEventStore>): Unit = runBlocking {
        val (a, b) = tenants()
        val id = TypeId.new("shared")
        val inA = withContext(TenantContext(a)) { store.appendStream(id, Tck.events(2), ExpectedVersion.NoStream) }
        withContext(TenantContext(b)) {
            assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
            assertTrue(store.readAll().toList().none { it.streamId == id })
            // the same stream id is independent in tenant b
            store.appendStream(id, Tck.events(1, first = 10), ExpectedVersion.NoStream)
            assertEquals(1, store.readStream(id).toList().size)
        }
        withContext(TenantContext(a)) {
            assertEquals(inA.events, store.readStream(id).toList())
            assertEquals(inA.events, store.readAll().toList().filter { it.streamId == id })
        }
        assertFailsWith<InvalidInputException> { store.readStream(id).toList() }
        assertFailsWith<InvalidInputException> { TenantContext("x; drop schema public") }
        assertFailsWith<InvalidInputException> { TenantContext("../etc") }
        Unit
    }

    @Test
    fun `postgres tenants in separate schemas never see each other's streams`() {
        isolation(JdbcTenants.postgresSchemas(TestDatabases.postgres()))
    }

    @Test
    fun `sqlite tenants in separate files never see each other's streams`() {
        isolation(JdbcTenants.sqliteFiles(TestDatabases.sqliteDir.resolve("tenants")))
    }
}
