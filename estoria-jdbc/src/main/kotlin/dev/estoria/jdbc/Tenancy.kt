package dev.estoria.jdbc

import dev.estoria.error.InvalidInputException
import kotlinx.coroutines.currentCoroutineContext
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * The tenant of the current call, carried in the coroutine context:
 * `withContext(TenantContext("acme")) { store.appendStream(...) }`.
 *
 * @property tenant the tenant's name.
 * @throws InvalidInputException when [tenant] is not a valid tenant name (`[a-z_][a-z0-9_]*`, 1-40 characters).
 */
public class TenantContext(public val tenant: String) : AbstractCoroutineContextElement(Key) {
    init {
        Tenants.requireName(tenant)
    }

    /** The context key. */
    public companion object Key : CoroutineContext.Key<TenantContext>

    override fun toString(): String = "TenantContext($tenant)"
}

/** Decides which tenant the current call belongs to. */
public fun interface TenantResolver {
    /**
     * The current tenant's name (`[a-z_][a-z0-9_]*`, 1-40 characters).
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

/** Creates the store of one tenant (called once per tenant, lazily, on [JdbcStoreOptions.dispatcher]). */
public fun interface TenantStoreFactory {
    /** The event store of [tenant]; may block while its schema is provisioned. */
    public fun create(tenant: String): JdbcEventStore
}

internal object Tenants {
    private val NAME = Regex("[a-z_][a-z0-9_]{0,39}")

    fun requireName(tenant: String): String {
        if (!NAME.matches(tenant)) {
            throw InvalidInputException("invalid tenant name '$tenant': expected 1-40 characters of [a-z0-9_], not starting with a digit")
        }
        return tenant
    }
}
