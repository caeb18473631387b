package dev.estoria.jdbc.internal

import dev.estoria.error.InvalidInputException

/**
 * SQL identifier rules: names are checked, never quoted or escaped, so nothing can be injected. A name
 * that matches the pattern must also work unquoted in every statement the stores run:
 *
 * - a schema name is not a PostgreSQL reserved keyword (categories "reserved" and "reserved, can be
 *   function or type name" of `pg_get_keywords()`, which cannot name a schema unquoted) and does not
 *   start with `pg_` (reserved for system schemas);
 * - a table prefix does not start with `sqlite_` (SQLite reserves those table names). Table names are the
 *   prefix followed by a fixed suffix (`events`, …), so they can never be a keyword of either database.
 *
 * Tenant schemas are built from these options too, so a tenant name composing a refused schema name is
 * refused the same way.
 */
internal object Identifiers {
    private val IDENTIFIER = Regex("[a-z_][a-z0-9_]{0,62}")
    private val PREFIX = Regex("([a-z_][a-z0-9_]{0,29})?")

    /** PostgreSQL's keywords that cannot name a schema unquoted (PostgreSQL 18, categories R and T). */
    internal val POSTGRES_RESERVED: Set<String> = setOf(
        // reserved
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
        "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
        "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
        "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
        "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
        "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
        "unique", "user", "using", "variadic", "when", "where", "window", "with",
        // reserved, can be a function or type name
        "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full",
        "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps",
        "right", "similar", "tablesample", "verbose",
    )

    /** Returns [name] when it is a schema name every statement can use unquoted (see the rules above). */
    fun requireSchema(name: String): String {
        require("schema", name)
        if (name in POSTGRES_RESERVED) {
            throw InvalidInputException("invalid schema name '$name': it is a reserved SQL keyword in PostgreSQL")
        }
        if (name.startsWith("pg_")) {
            throw InvalidInputException("invalid schema name '$name': the prefix 'pg_' is reserved for PostgreSQL's system schemas")
        }
        return name
    }

    fun require(kind: String, name: String): String {
        if (!IDENTIFIER.matches(name)) {
            throw InvalidInputException("invalid $kind name '$name': expected 1-63 characters of [a-z0-9_], not starting with a digit")
        }
        return name
    }

    fun requirePrefix(prefix: String): String {
        if (!PREFIX.matches(prefix)) {
            throw InvalidInputException("invalid table prefix '$prefix': expected 0-30 characters of [a-z0-9_], not starting with a digit")
        }
        if (prefix.startsWith("sqlite_")) {
            throw InvalidInputException("invalid table prefix '$prefix': SQLite reserves table names starting with 'sqlite_'")
        }
        return prefix
    }
}

/** The qualified names of every table of one store configuration. */
internal class TableNames(val schema: String?, val prefix: String) {
    val streams: String = qualify("streams")
    val events: String = qualify("events")
    val schemaVersion: String = qualify("schema_version")
    val snapshots: String = qualify("snapshots")
    val checkpoints: String = qualify("checkpoints")
    val leases: String = qualify("leases")

    /** An unqualified name derived from the prefix, for constraints and indexes. */
    fun local(suffix: String): String = prefix + suffix

    private fun qualify(suffix: String): String = if (schema == null) prefix + suffix else "$schema.$prefix$suffix"
}
