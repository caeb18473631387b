package dev.estoria.jdbc.internal

import dev.estoria.error.EstoriaException
import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.isActive
import kotlinx.coroutines.ensureActive
import java.sql.Connection
import java.sql.PreparedStatement
import java.sql.SQLException
import java.util.concurrent.atomic.AtomicBoolean
import javax.sql.DataSource

/** The connection could not be obtained: nothing was sent to the database. */
internal class ConnectionUnavailable(cause: SQLException) : Exception(cause.message, cause)

/**
 * One borrowed connection and the statement running on it, so that a cancelled coroutine can cancel
 * the statement (`Statement.cancel()`: a cancel request on PostgreSQL, `sqlite3_interrupt` on SQLite).
 */
internal class Session(val connection: Connection) {
    private val latch = CancelLatch()

    /** Whether the calling coroutine was cancelled. */
    val cancelled: Boolean get() = latch.cancelled

    fun prepare(sql: String): PreparedStatement {
        if (cancelled) throw CancellationException("the calling coroutine was cancelled")
        val statement = connection.prepareStatement(sql)
        latch.running { statement.cancel() }
        return statement
    }

    /** Cancels the running statement; a no-op once [finish] ran. */
    fun cancel(): Unit = latch.cancel()

    /** Ends the session before its connection goes back to the pool. */
    fun finish(): Unit = latch.finish()

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
 * [blockingCall] (`withContext`, or the hand-over of a `Dispatchers.Default` caller to the IO thread that
 * ran its work) rather than `async` + `await`: a caller already on [dispatcher] runs the work in place.
 */
internal class JdbcRunner(
    val dataSource: DataSource,
    private val dispatcher: CoroutineDispatcher,
    /** SQLite: make its busy waits for the write lock end when the call is cancelled. */
    private val sqlite: Boolean = false,
) {
    private val closed = AtomicBoolean(false)

    @Volatile
    private var closedName: String = "the store"

    suspend fun <T> withSession(block: (Session) -> T): T = blockingCall(dispatcher) { job -> session(job, block) }

    private fun <T> session(job: Job?, block: (Session) -> T): T {
        if (closed.get()) {
            throw StoreException("use", null, "$closedName is closed: create a new store to use this database again", null)
        }
        val connection = try {
            dataSource.connection
        } catch (e: SQLException) {
            throw ConnectionUnavailable(e)
        }
        return connection.use {
            val s = Session(it)
            val busy = if (sqlite) SqliteBusyHandlers.attach(it) { s.cancelled } else null
            try {
                cancellingOnCancel(job, { s.cancel() }) {
                    job?.ensureActive()
                    block(s)
                }
            } finally {
                s.finish()
                busy?.close()
            }
        }
    }

    /** Blocking variant for construction-time work (schema provisioning). */
    fun <T> blocking(block: (Session) -> T): T = dataSource.connection.use { block(Session(it)) }

    /**
     * Refuses every later call with a [StoreException] naming [storeName]; runs [finish] once on one last
     * connection (SQLite: the WAL checkpoint), then closes [owned] (a data source the store opened itself).
     * A second call does nothing. Calls already running finish on their connections.
     */
    fun close(storeName: String, owned: AutoCloseable?, finish: (Session) -> Unit) {
        if (!closed.compareAndSet(false, true)) return
        closedName = storeName
        try {
            blocking(finish)
        } catch (e: SQLException) {
            throw StoreException("close", null, "closing $storeName failed: ${e.message}", e)
        } finally {
            owned?.close()
        }
    }
}

/**
 * Translates driver failures into [StoreException] keeping the cause; Estoria's own errors and
 * cancellation pass through. A driver failure of a caller that was cancelled meanwhile (a cancelled
 * statement fails with the driver's own error) is the cancellation, with the driver error as cause.
 */
internal suspend fun <T> guard(operation: String, streamId: TypeId?, block: suspend () -> T): T =
    try {
        block()
    } catch (e: EstoriaException) {
        throw e
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        if (!currentCoroutineContext().isActive) {
            throw CancellationException("$operation cancelled").also { it.initCause(e) }
        }
        when (e) {
            is ConnectionUnavailable, is SQLException, is RuntimeException -> throw storeFailure(operation, streamId, e)
            else -> throw e
        }
    }

/**
 * [e] as the store reports it: Estoria's own errors as they are, a connection the pool could not give as
 * [StoreException] with the driver's cause (nothing was sent), any other failure as [StoreException].
 */
internal fun storeFailure(operation: String, streamId: TypeId?, e: Throwable): Throwable =
    when (e) {
        is EstoriaException -> e
        is ConnectionUnavailable -> StoreException(operation, streamId, e.cause)
        else -> StoreException(operation, streamId, e)
    }
