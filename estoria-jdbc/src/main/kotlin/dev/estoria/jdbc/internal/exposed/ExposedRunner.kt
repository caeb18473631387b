package dev.estoria.jdbc.internal.exposed

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.SQLException
import java.util.concurrent.atomic.AtomicReference

/**
 * Runs an Exposed transaction on [dispatcher], never on the caller's thread. Cancelling the calling
 * coroutine cancels the statement the transaction is running (then the transaction rolls back) and
 * propagates the cancellation.
 */
internal class ExposedRunner(val database: Database, private val dispatcher: CoroutineDispatcher) {
    suspend fun <T> transaction(block: JdbcTransaction.() -> T): T = coroutineScope {
        val running = AtomicReference<JdbcTransaction?>()
        val work = async(dispatcher) {
            transaction(database) {
                running.set(this)
                block()
            }
        }
        try {
            work.await()
        } catch (e: CancellationException) {
            try {
                running.get()?.currentStatement?.cancel()
            } catch (ignored: SQLException) {
                // best effort: the statement may have finished meanwhile
            }
            throw e
        }
    }
}
