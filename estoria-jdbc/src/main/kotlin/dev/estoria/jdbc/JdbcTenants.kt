package dev.estoria.jdbc

import dev.estoria.tenancy.MultiTenantEventStore
import dev.estoria.tenancy.TenantResolver
import java.nio.file.Path
import javax.sql.DataSource

/**
 * Multitenancy on JDBC: factories of estoria-api's [MultiTenantEventStore] (tenant resolution, names and
 * routing live there; `TenantContext` carries the tenant in the coroutine context). Each tenant gets its own
 * tables: a PostgreSQL schema or an SQLite file, provisioned on first use per the options' schema mode.
 *
 * ```kotlin
 * val store = JdbcTenants.postgresSchemas(pool)                  // tenant "acme" → schema tenant_acme
 * withContext(TenantContext("acme")) { store.appendStream(id, events) }
 * ```
 *
 * Tested by `MultiTenantTest` on both dialects (isolation of streams and global order).
 */
public object JdbcTenants {
    /**
     * A schema per tenant on one PostgreSQL [dataSource]: tenant `acme` uses schema `<schemaPrefix>acme`
     * (default prefix `tenant_`), created on first use per [options]; [options]' own schema is ignored.
     *
     * @throws dev.estoria.error.InvalidInputException when [schemaPrefix] cannot start a schema name
     *   (a reserved word or the `pg_` namespace, say).
     */
    @JvmStatic
    @JvmOverloads
    public fun postgresSchemas(
        dataSource: DataSource,
        options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
        resolver: TenantResolver = TenantResolver.fromCoroutineContext(),
        schemaPrefix: String = "tenant_",
    ): MultiTenantEventStore<JdbcEventStore> {
        JdbcStoreOptions.builder().schema(schemaPrefix + "x").build() // refuses a prefix no schema may start with
        return MultiTenantEventStore(resolver, options.dispatcher) { tenant ->
            PostgresEventStore.create(dataSource, options.withSchema(schemaPrefix + tenant))
        }
    }

    /** An SQLite file per tenant: tenant `acme` uses `<directory>/acme.db`, created on first use. */
    @JvmStatic
    @JvmOverloads
    public fun sqliteFiles(
        directory: Path,
        options: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
        resolver: TenantResolver = TenantResolver.fromCoroutineContext(),
    ): MultiTenantEventStore<JdbcEventStore> = MultiTenantEventStore(resolver, options.dispatcher) { tenant ->
        SqliteEventStore.file(directory.resolve("$tenant.db"), options)
    }
}
