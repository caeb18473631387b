package dev.estoria.jdbc.internal

import java.sql.SQLException

/**
 * The cancellation state of one call, shared with the thread that cancels it: [cancel] cancels the
 * statement registered with [running], unless the call has [finish]ed — after that its connection may
 * already serve another caller (on SQLite a cancel interrupts the whole connection).
 */
internal class CancelLatch {
    private val lock = Any()
    private var cancelStatement: (() -> Unit)? = null
    private var finished = false

    /** Whether the call was cancelled. */
    @Volatile
    var cancelled: Boolean = false
        private set

    /** Registers how to cancel the statement the call is running now. */
    fun running(cancelStatement: () -> Unit) {
        synchronized(lock) { this.cancelStatement = cancelStatement }
    }

    /** Marks the call cancelled and cancels its running statement (best effort). */
    fun cancel() {
        cancelled = true
        synchronized(lock) {
            if (finished) return
            try {
                cancelStatement?.invoke()
            } catch (e: SQLException) {
                // the statement may have finished or been closed meanwhile
            }
        }
    }

    /** Ends the call before its connection goes back to the pool; waits for a cancel in progress. */
    fun finish() {
        synchronized(lock) {
            finished = true
            cancelStatement = null
        }
    }
}
