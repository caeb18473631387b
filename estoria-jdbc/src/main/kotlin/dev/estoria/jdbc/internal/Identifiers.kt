package dev.estoria.jdbc.internal

import dev.estoria.error.InvalidInputException

/** SQL identifier rules: names are checked, never quoted or escaped, so nothing can be injected. */
internal object Identifiers {
    private val IDENTIFIER = Regex("[a-z_][a-z0-9_]{0,62}")
    private val PREFIX = Regex("([a-z_][a-z0-9_]{0,29})?")

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

    /** An unqualified name derived from the prefix, for constraints and indexes. */
    fun local(suffix: String): String = prefix + suffix

    private fun qualify(suffix: String): String = if (schema == null) prefix + suffix else "$schema.$prefix$suffix"
}
