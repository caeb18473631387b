package dev.estoria.tenancy

import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class MultiTenantEventStoreTest {
    private val created = AtomicInteger()
    private val store = MultiTenantEventStore(TenantResolver.fromCoroutineContext()) { created.incrementAndGet(); InMemoryEventStore() }

    @Test
    fun `each tenant has its own streams and global order`() = runTest {
        val id = TypeId.new("account")
        withContext(TenantContext("acme")) { store.appendStream(id, listOf(WritableEvent.of("opened", byteArrayOf(1))), ExpectedVersion.NoStream) }
        withContext(TenantContext("globex")) {
            assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
            assertEquals(0L, store.headPosition())
            store.appendStream(id, listOf(WritableEvent.of("opened", byteArrayOf(2))), ExpectedVersion.NoStream)
        }
        withContext(TenantContext("acme")) {
            assertEquals(listOf(1.toByte()), store.readAll().toList().map { it.data.single() })
            store.delete(id)
        }
        withContext(TenantContext("globex")) { assertEquals(1, store.readStream(id).toList().size) }
        assertEquals(setOf("acme", "globex"), store.tenants)
        assertEquals(2, created.get(), "one store per tenant, created once")
    }

    @Test
    fun `a call without a tenant or with an invalid one is refused`() = runTest {
        assertFailsWith<InvalidInputException> { store.headPosition() }
        assertFailsWith<InvalidInputException> { TenantContext("x; drop schema public") }
        assertFailsWith<InvalidInputException> { store.forTenant("../etc") }
        assertEquals(0, created.get())
    }

    /** An in-memory store that records being closed, as a JDBC store would release its file. */
    private class ClosableStore(inner: InMemoryEventStore = InMemoryEventStore()) :
        EventStore by inner, GlobalReader by inner, StreamDeleter by inner, AutoCloseable {
        var closes = 0

        override fun close() {
            closes++
        }
    }

    @Test
    fun `closing closes every tenant store opened and refuses new tenants`() {
        val opened = ArrayList<ClosableStore>()
        val stores = MultiTenantEventStore(TenantResolver.fromCoroutineContext()) { ClosableStore().also { opened += it } }
        stores.forTenant("acme")
        stores.forTenant("globex")
        stores.close()
        stores.close()
        assertEquals(listOf(2, 2), opened.map { it.closes }, "each store closed by each close (stores close idempotently)")
        assertFailsWith<StoreException> { stores.forTenant("initech") }
        assertEquals(2, opened.size)
    }
}
