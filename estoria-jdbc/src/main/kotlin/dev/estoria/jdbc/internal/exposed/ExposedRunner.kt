package dev.estoria.jdbc.internal.exposed

import dev.estoria.jdbc.internal.blockingCall
import dev.estoria.jdbc.internal.cancellingOnCancel
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.StatementInterceptor
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import dev.estoria.jdbc.internal.CancelLatch
import dev.estoria.jdbc.internal.SqliteBusyHandlers
import java.sql.Connection

/**
 * Runs an Exposed transaction on [dispatcher] through [blockingCall] (in place when the caller is already on it).
 * Cancelling the calling coroutine cancels the statement the transaction is running, keeps it from
 * starting another one, and rolls the transaction back instead of committing it; the cancellation
 * then propagates.
 */
internal class ExposedRunner(
    val database: Database,
    private val dispatcher: CoroutineDispatcher,
    /** SQLite: make its busy waits for the write lock end when the call is cancelled. */
    private val sqlite: Boolean = false,
) {
    suspend fun <T> transaction(block: JdbcTransaction.() -> T): T = blockingCall(dispatcher) { job ->
        val guard = CancelGuard()
        try {
            cancellingOnCancel(job, { guard.cancel() }) {
                transaction(database) {
                    guard.attach(this)
                    registerInterceptor(guard)
                    val busy = if (sqlite) SqliteBusyHandlers.attach(connection.connection as Connection) { guard.isCancelled } else null
                    try {
                        val result = block()
                        guard.throwIfCancelled() // rolled back, not committed
                        result
                    } finally {
                        busy?.close()
                    }
                }
            }
        } finally {
            guard.finish()
        }
    }

    /** Cancels one transaction's statements and keeps it from starting new ones once cancelled. */
    private class CancelGuard : StatementInterceptor {
        private val latch = CancelLatch()

        val isCancelled: Boolean get() = latch.cancelled

        fun attach(tx: JdbcTransaction) {
            latch.running { tx.currentStatement?.cancel() }
        }

        fun cancel(): Unit = latch.cancel()

        fun finish(): Unit = latch.finish()

        fun throwIfCancelled() {
            if (isCancelled) throw CancellationException("the calling coroutine was cancelled")
        }

        override fun beforeExecution(transaction: Transaction, context: StatementContext) {
            throwIfCancelled()
        }
    }
}
