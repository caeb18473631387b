package dev.estoria.jdbc

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
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap
import javax.sql.DataSource

/**
 * One event store serving several tenants: every call asks [resolver] for the current tenant and goes
 * to that tenant's own store, created on first use by [factory] (schema provisioning included) and
 * kept. Tenants are fully isolated: separate tables (a PostgreSQL schema or an SQLite file per
 * tenant), separate streams, separate global order.
 *
 * Create one with [postgresSchemas], [sqliteFiles], or [create] for any other mapping (for example a
 * separate `DataSource` per tenant).
 */
public class MultiTenantEventStore private constructor(
    private val resolver: TenantResolver,
    private val factory: TenantStoreFactory,
    private val dispatcher: CoroutineDispatcher,
) : EventStore, GlobalReader, StreamDeleter, AutoCloseable {
    private val stores = ConcurrentHashMap<String, JdbcEventStore>()

    @Volatile
    private var closed = false

    /** The store of the current tenant (per [resolver]), created on first use on the dispatcher. */
    public suspend fun currentStore(): JdbcEventStore {
        val tenant = Tenants.requireName(resolver.currentTenant())
        return stores[tenant] ?: withContext(dispatcher) { forTenant(tenant) }
    }

    /**
     * The store of [tenant], created on first use (blocking while its schema is provisioned; once per
     * tenant, also under concurrent calls). The way in for callers without a coroutine context, such
     * as Java code: `AsyncEventStore.from(stores.forTenant("acme"))`.
     *
     * @throws dev.estoria.error.InvalidInputException when [tenant] is not a valid tenant name.
     */
    public fun forTenant(tenant: String): JdbcEventStore {
        Tenants.requireName(tenant)
        val store = stores.computeIfAbsent(tenant) { name ->
            if (closed) throw StoreException("open tenant store", null, "$this is closed: no tenant store is opened any more", null)
            factory.create(name)
        }
        if (closed) store.close()
        return store
    }

    /**
     * Closes every tenant store opened so far ([JdbcEventStore.close]: SQLite files are checkpointed and
     * their connections closed) and refuses tenants not opened yet. Idempotent; blocking (call it at
     * shutdown).
     *
     * @throws StoreException when a store fails to close (the others are closed all the same).
     */
    override fun close() {
        closed = true
        var failure: StoreException? = null
        for (store in stores.values) {
            try {
                store.close()
            } catch (e: StoreException) {
                failure?.addSuppressed(e) ?: run { failure = e }
            }
        }
        failure?.let { throw it }
    }

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

    /** Factories. */
    public companion object {
        /**
         * A schema per tenant on one PostgreSQL [dataSource]: tenant `acme` uses schema
         * `<schemaPrefix>acme` (default prefix `tenant_`), created on first use per [options].
         * [options]' own schema is ignored.
         */
        @JvmStatic
        @JvmOverloads
        public fun postgresSchemas(
            dataSource: DataSource,
            options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
            resolver: TenantResolver = TenantResolver.fromCoroutineContext(),
            schemaPrefix: String = "tenant_",
        ): MultiTenantEventStore {
            JdbcStoreOptions.builder().schema(schemaPrefix + "x").build()
            return create(resolver, options.dispatcher) { tenant ->
                PostgresEventStore.create(dataSource, options.withSchema(schemaPrefix + tenant))
            }
        }

        /**
         * An SQLite file per tenant: tenant `acme` uses `<directory>/acme.db`, created on first use.
         */
        @JvmStatic
        @JvmOverloads
        public fun sqliteFiles(
            directory: Path,
            options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
            resolver: TenantResolver = TenantResolver.fromCoroutineContext(),
        ): MultiTenantEventStore = create(resolver, options.dispatcher) { tenant ->
            SqliteEventStore.file(directory.resolve("$tenant.db"), options)
        }

        /** Routes to the store [factory] creates for each tenant [resolver] names. */
        @JvmStatic
        @JvmOverloads
        public fun create(
            resolver: TenantResolver,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
            factory: TenantStoreFactory,
        ): MultiTenantEventStore = MultiTenantEventStore(resolver, factory, dispatcher)
    }
}
