package dev.estoria.jdbc.internal.exposed

import org.jetbrains.exposed.v1.core.DatabaseConfig
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import java.util.WeakHashMap
import javax.sql.DataSource

/**
 * One Exposed [Database] per user-supplied `DataSource`, shared by every store on it.
 *
 * Exposed makes the newest connected database the default one of `transaction { }` calls that name
 * none; an application that already had a default keeps it (it is pinned back after connecting).
 * Transactions are attempted once: a store decides itself what a failure means.
 */
internal object ExposedDatabases {
    private val byDataSource = WeakHashMap<DataSource, Database>()

    private val config = DatabaseConfig { defaultMaxAttempts = 1 }

    fun of(dataSource: DataSource): Database = synchronized(this) {
        byDataSource.getOrPut(dataSource) {
            val previous = TransactionManager.defaultDatabase
            val database = Database.connect(dataSource, databaseConfig = config)
            if (previous != null) TransactionManager.defaultDatabase = previous
            database
        }
    }
}
