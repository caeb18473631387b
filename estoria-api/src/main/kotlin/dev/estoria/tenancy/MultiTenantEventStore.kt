package dev.estoria.tenancy

import dev.estoria.error.StoreException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext
import java.util.concurrent.ConcurrentHashMap

/**
 * One event store serving several tenants, over any backend: every call asks [resolver] for the current
 * tenant and goes to that tenant's own store of type [S], created on first use by [factory] (on
 * [dispatcher], since creating a store may provision storage) and kept. Tenants are as isolated as the
 * factory makes them: separate streams and a separate global order per tenant store.
 *
 * Backends offer factories on top of it (estoria-jdbc: a PostgreSQL schema or an SQLite file per tenant).
 *
 * TCK: estoria-jdbc's multitenancy tests run the isolation clauses over it.
 */
public class MultiTenantEventStore<S> @JvmOverloads constructor(
    private val resolver: TenantResolver,
    private val dispatcher: CoroutineDispatcher = Dispatchers.IO,
    private val factory: TenantStoreFactory<S>,
) : EventStore, GlobalReader, StreamDeleter, AutoCloseable where S : EventStore, S : GlobalReader, S : StreamDeleter {
    private val stores = ConcurrentHashMap<String, S>()

    @Volatile
    private var closed = false

    /** The store of the current tenant (per [resolver]), created on first use on the dispatcher. */
    public suspend fun currentStore(): S {
        val tenant = TenantName.require(resolver.currentTenant())
        return stores[tenant] ?: withContext(dispatcher) { forTenant(tenant) }
    }

    /**
     * The store of [tenant], created on first use (blocking while it is created; once per tenant, also
     * under concurrent calls). The way in for callers without a coroutine context, such as Java code:
     * `AsyncEventStore.from(stores.forTenant("acme"))`.
     *
     * @throws dev.estoria.error.InvalidInputException when [tenant] is not a valid tenant name.
     */
    public fun forTenant(tenant: String): S {
        TenantName.require(tenant)
        val store = stores.computeIfAbsent(tenant) { name ->
            if (closed) throw StoreException("open tenant store", null, "$this is closed: no tenant store is opened any more", null)
            factory.create(name)
        }
        if (closed) (store as? AutoCloseable)?.close() // created while close() ran: closed too
        return store
    }

    /**
     * Closes every tenant store opened so far that is [AutoCloseable] (JDBC stores: SQLite files are
     * checkpointed and their connections closed) and refuses tenants not opened yet. Idempotent, blocking
     * (call it at shutdown); every store is closed even when one fails, and the first failure is thrown
     * with the others suppressed.
     */
    override fun close() {
        closed = true
        var failure: Exception? = null
        for (store in stores.values) {
            try {
                (store as? AutoCloseable)?.close()
            } catch (e: Exception) {
                failure?.addSuppressed(e) ?: run { failure = e }
            }
        }
        failure?.let { throw it }
    }

    /** The tenants whose stores were created so far. */
    public val tenants: Set<String> get() = stores.keys.toSet()

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        currentStore().appendStream(streamId, events, expected)

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = flow {
        emitAll(currentStore().readStream(streamId, options))
    }

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> = flow {
        emitAll(currentStore().readAll(afterPosition, maxCount))
    }

    override suspend fun headPosition(): Long = currentStore().headPosition()

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        currentStore().delete(streamId, toVersion)
    }

    override fun toString(): String = "MultiTenantEventStore(tenants=${stores.keys})"
}
