package dev.estoria.jdbc.live

import dev.estoria.jdbc.JdbcStoreOptions

/**
 * The `LISTEN`/`NOTIFY` channel of a store's tables: `<schema>_<prefix>appended` (without the schema
 * part when the schema is the connection's default), shortened with a hash to PostgreSQL's 63-character
 * identifier limit. Stores on other tables use other channels, so they never wake each other's processors.
 */
public object AppendChannel {
    private const val MAX = 63

    /** The channel name for the tables [options] name (a valid unquoted identifier). */
    @JvmStatic
    public fun of(options: JdbcStoreOptions): String {
        val full = (options.schema?.let { "${it}_" } ?: "") + options.tablePrefix + "appended"
        if (full.length <= MAX) return full
        val hash = Integer.toHexString(full.hashCode()).padStart(8, '0')
        return full.take(MAX - 9) + "_" + hash
    }
}
