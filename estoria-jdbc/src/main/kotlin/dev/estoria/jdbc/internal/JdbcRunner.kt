package dev.estoria.jdbc.internal

import dev.estoria.error.EstoriaException
import dev.estoria.error.StoreFailure
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext
import java.sql.Connection
import java.sql.PreparedStatement
import java.sql.SQLException
import javax.sql.DataSource

/** The connection could not be obtained: nothing was sent to the database. */
internal class ConnectionUnavailable(cause: SQLException) : Exception(cause.message, cause)

/**
 * One borrowed connection and the statement running on it, so that a cancelled coroutine can cancel
 * the statement (`Statement.cancel()`: a cancel request on PostgreSQL, `sqlite3_interrupt` on SQLite).
 */
internal class Session(val connection: Connection) {
    @Volatile
    private var running: PreparedStatement? = null

    @Volatile
    var cancelled: Boolean = false
        private set

    fun prepare(sql: String): PreparedStatement {
        if (cancelled) throw CancellationException("the calling coroutine was cancelled")
        return connection.prepareStatement(sql).also { running = it }
    }

    fun cancel() {
        cancelled = true
        try {
            running?.cancel()
        } catch (e: SQLException) {
            // best effort: the statement may already be closed
        }
    }

    /** Runs [block] in one transaction (auto-commit off), rolling back on any failure. */
    inline fun <T> transaction(block: () -> T): T {
        connection.autoCommit = false
        try {
            val result = block()
            connection.commit()
            return result
        } catch (e: Throwable) {
            try {
                connection.rollback()
            } catch (ignored: SQLException) {
                // the connection may be broken; the server rolls back on its own
            }
            throw e
        } finally {
            try {
                connection.autoCommit = true
            } catch (ignored: SQLException) {
                // the pool resets or evicts the connection
            }
        }
    }

    /** Whether the connection still works (false after a dropped connection). */
    fun isAlive(): Boolean =
        try {
            !connection.isClosed && connection.isValid(2)
        } catch (e: SQLException) {
            false
        }
}

/**
 * Runs blocking JDBC work on [dispatcher], never on a thread of another dispatcher, with a connection
 * borrowed from [dataSource] for the duration of one call. Cancelling the calling coroutine cancels
 * the running statement and then propagates the cancellation.
 *
 * `withContext` rather than `async` + `await`: a caller already on [dispatcher] runs the work in place
 * (no thread hop at all), and a caller on `Dispatchers.Default` usually keeps its thread while it
 * blocks, since Default and IO share one scheduler.
 */
internal class JdbcRunner(val dataSource: DataSource, private val dispatcher: CoroutineDispatcher) {
    @OptIn(InternalCoroutinesApi::class)
    suspend fun <T> withSession(block: (Session) -> T): T = withContext(dispatcher) {
        val connection = try {
            dataSource.connection
        } catch (e: SQLException) {
            throw ConnectionUnavailable(e)
        }
        connection.use {
            val s = Session(it)
            // runs as soon as the caller is cancelled, while the statement may still be blocked
            val onCancel = coroutineContext.job.invokeOnCompletion(onCancelling = true, invokeImmediately = true) { cause ->
                if (cause is CancellationException) s.cancel()
            }
            try {
                ensureActive()
                block(s)
            } finally {
                onCancel.dispose()
            }
        }
    }

    /** Blocking variant for construction-time work (schema provisioning). */
    fun <T> blocking(block: (Session) -> T): T = dataSource.connection.use { block(Session(it)) }
}

/** Translates driver failures into [StoreFailure] keeping the cause; Estoria's own errors and cancellation pass through. */
internal suspend fun <T> guard(operation: String, streamId: TypeId?, block: suspend () -> T): T =
    try {
        block()
    } catch (e: EstoriaException) {
        throw e
    } catch (e: CancellationException) {
        throw e
    } catch (e: ConnectionUnavailable) {
        throw StoreFailure(operation, streamId, e.cause)
    } catch (e: SQLException) {
        throw StoreFailure(operation, streamId, e)
    } catch (e: RuntimeException) {
        throw StoreFailure(operation, streamId, e)
    }
