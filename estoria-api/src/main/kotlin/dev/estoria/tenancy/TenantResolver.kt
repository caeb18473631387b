package dev.estoria.tenancy

import dev.estoria.error.InvalidInputException
import kotlinx.coroutines.currentCoroutineContext

/** Decides which tenant the current call belongs to. */
public fun interface TenantResolver {
    /**
     * The current tenant's name ([TenantName]).
     *
     * @throws InvalidInputException when no tenant can be determined.
     */
    public suspend fun currentTenant(): String

    /** Resolvers. */
    public companion object {
        /** Reads [TenantContext] from the calling coroutine's context; fails with [InvalidInputException] when absent. */
        @JvmStatic
        public fun fromCoroutineContext(): TenantResolver = TenantResolver {
            currentCoroutineContext()[TenantContext]?.tenant
                ?: throw InvalidInputException("no tenant: run the call inside withContext(TenantContext(\"<tenant>\"))")
        }
    }
}

/** Creates the store of one tenant: called once per tenant, lazily, on the multi-tenant store's dispatcher. */
public fun interface TenantStoreFactory<S> {
    /** The event store of [tenant]; may block while its storage is provisioned. */
    public fun create(tenant: String): S
}
