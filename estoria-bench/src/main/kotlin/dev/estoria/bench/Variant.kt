package dev.estoria.bench

import dev.estoria.jdbc.JdbcStoreOptions

/**
 * A store configuration to measure, named on the command line (`-Dbench.variants=default,pageSize=100`;
 * several variants give one section each in the same run, each with its own interleaved baselines).
 * `default` is the library's defaults; otherwise `key=value` pairs joined by `+`. To compare a new store
 * option, add its key to [applyTo] (and to [KEYS]); every store is built from its variant in [Stores].
 */
data class Variant(val name: String, val settings: Map<String, String>) {
    /** The JDBC options of this variant, starting from [base]. */
    fun applyTo(base: JdbcStoreOptions.Builder): JdbcStoreOptions.Builder {
        for ((key, value) in settings) {
            when (key) {
                "pageSize" -> base.pageSize(value.toInt())
                "coalesceAppends" -> base.coalesceAppends(value.toBooleanStrict())
                "appendWriters" -> base.appendWriters(value.toInt())
                else -> throw IllegalArgumentException("unknown store variant key '$key' (known: ${KEYS.joinToString()})")
            }
        }
        return base
    }

    /** The in-memory store's page size ([applyTo]'s `pageSize`), or its default. */
    fun memoryPageSize(default: Int): Int = settings["pageSize"]?.toInt() ?: default

    override fun toString(): String = name

    companion object {
        /** The keys [applyTo] understands. */
        val KEYS: List<String> = listOf("pageSize", "coalesceAppends", "appendWriters")

        val DEFAULT: Variant = Variant("default", emptyMap())

        /** Parses `default` or `key=value+key=value`. */
        fun parse(text: String): Variant {
            if (text == "default") return DEFAULT
            val settings = text.split('+').associate { part ->
                val eq = part.indexOf('=')
                require(eq > 0) { "store variant '$part' is not key=value" }
                part.substring(0, eq) to part.substring(eq + 1)
            }
            settings.keys.forEach { require(it in KEYS) { "unknown store variant key '$it' (known: ${KEYS.joinToString()})" } }
            return Variant(text, settings)
        }
    }
}
