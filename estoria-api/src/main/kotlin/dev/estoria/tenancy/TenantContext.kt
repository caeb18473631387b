package dev.estoria.tenancy

import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * The tenant of the current call, carried in the coroutine context:
 * `withContext(TenantContext("acme")) { store.appendStream(...) }`.
 *
 * @property tenant the tenant's name.
 * @throws dev.estoria.error.InvalidInputException when [tenant] is not a valid tenant name ([TenantName]).
 */
public class TenantContext(public val tenant: String) : AbstractCoroutineContextElement(Key) {
    init {
        TenantName.require(tenant)
    }

    /** The context key. */
    public companion object Key : CoroutineContext.Key<TenantContext>

    override fun toString(): String = "TenantContext($tenant)"
}
