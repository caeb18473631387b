package dev.estoria.jdbc.live

import java.sql.Connection
import java.sql.DriverManager
import java.util.Properties
import javax.sql.DataSource

/**
 * Opens the dedicated PostgreSQL connections of live tailing ([PostgresAppendListener],
 * [PostgresAppendNotifier]). They are held open for a long time and, for `LISTEN`, must stay on one
 * server session: give a plain (non-pooling) `DataSource` or a JDBC URL, never the store's pool (a pooled
 * connection would hold a pool slot forever and be recycled under the listener) nor a transaction-mode
 * PgBouncer (it moves sessions between server connections and loses the `LISTEN`).
 *
 * Each call returns a new connection; the caller closes it. Tested by `PostgresLiveTailingTest`.
 */
public fun interface PostgresConnections {
    /** Opens a new connection to the database the store writes to. */
    public fun open(): Connection

    /** Factories. */
    public companion object {
        /** Connections from [dataSource] (a plain, non-pooling one such as `PGSimpleDataSource`). */
        @JvmStatic
        public fun of(dataSource: DataSource): PostgresConnections = PostgresConnections { dataSource.connection }

        /**
         * Connections through `DriverManager` to [url] (`jdbc:postgresql://…`) as [user]; [properties]
         * adds driver settings (e.g. `tcpKeepAlive=true`, `ApplicationName`).
         */
        @JvmStatic
        @JvmOverloads
        public fun of(url: String, user: String, password: String, properties: Map<String, String> = emptyMap()): PostgresConnections {
            val props = Properties().apply {
                putAll(properties)
                setProperty("user", user)
                setProperty("password", password)
            }
            return PostgresConnections { DriverManager.getConnection(url, props) }
        }
    }
}
