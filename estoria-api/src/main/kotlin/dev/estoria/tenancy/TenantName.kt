package dev.estoria.tenancy

import dev.estoria.error.InvalidInputException

/**
 * The rule for tenant names, shared by every multi-tenant store: 1–40 characters of `[a-z0-9_]`, not
 * starting with a digit, so that a name can become part of a schema, file or collection name without
 * quoting or escaping.
 */
public object TenantName {
    private val NAME = Regex("[a-z_][a-z0-9_]{0,39}")

    /**
     * Returns [tenant] when it is a valid tenant name.
     *
     * @throws InvalidInputException otherwise, naming the rule.
     */
    @JvmStatic
    public fun require(tenant: String): String {
        if (!NAME.matches(tenant)) {
            throw InvalidInputException("invalid tenant name '$tenant': expected 1-40 characters of [a-z0-9_], not starting with a digit")
        }
        return tenant
    }
}
