package dev.estoria.jdbc.internal.exposed

import org.jetbrains.exposed.v1.core.DatabaseConfig
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import java.util.WeakHashMap
import javax.sql.DataSource

/**
 * One Exposed [Database] per user-supplied `DataSource`, shared by every store on it.
 *
 * Exposed's `transaction { }` without a database goes to the explicit default or else to the newest
 * connected database, which would be the store's own. So when the application already has a
 * database that such calls reach, it is pinned as the explicit default before the store's database
 * is connected (the stores' own databases are never pinned): the application's `transaction { }`
 * keeps going where it went. Transactions are
 * attempted once: a store decides itself what a failure means.
 */
internal object ExposedDatabases {
    private val byDataSource = WeakHashMap<DataSource, Database>()

    private val config = DatabaseConfig { defaultMaxAttempts = 1 }

    fun of(dataSource: DataSource): Database = synchronized(this) {
        byDataSource.getOrPut(dataSource) {
            val applications = TransactionManager.primaryDatabase
            val isOurs = byDataSource.values.any { it === applications }
            if (applications != null && !isOurs && TransactionManager.defaultDatabase == null) {
                TransactionManager.defaultDatabase = applications
            }
            Database.connect(dataSource, databaseConfig = config)
        }
    }
}
