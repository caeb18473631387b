package dev.estoria.jdbc.internal

import org.sqlite.BusyHandler
import org.sqlite.SQLiteConnection
import java.sql.Connection
import java.sql.SQLException
import java.util.WeakHashMap

/**
 * Waits for SQLite's write lock like `busy_timeout` does, but gives up as soon as the call it serves
 * is cancelled: `sqlite3_interrupt` (what `Statement.cancel()` does) does not end a busy wait, so a
 * cancelled call would otherwise wait out the whole timeout. Installed once per connection, replacing
 * its `busy_timeout` with the same timeout; a call attaches its cancellation check for its duration.
 */
internal class CancellableBusyHandler(private val timeoutMs: Long) : BusyHandler() {
    @Volatile
    var cancelled: () -> Boolean = NEVER

    private var startedNanos = 0L

    override fun callback(nbPrevInvok: Int): Int {
        if (nbPrevInvok == 0) startedNanos = System.nanoTime()
        if (cancelled()) return STOP
        val waitedMs = (System.nanoTime() - startedNanos) / 1_000_000
        if (waitedMs >= timeoutMs) return STOP
        try {
            Thread.sleep(minOf(1L shl minOf(nbPrevInvok, 5), MAX_SLEEP_MS, timeoutMs - waitedMs))
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            return STOP
        }
        return if (cancelled()) STOP else RETRY
    }

    companion object {
        val NEVER: () -> Boolean = { false }
        private const val STOP = 0
        private const val RETRY = 1
        private const val MAX_SLEEP_MS = 25L
    }
}

/** The [CancellableBusyHandler] of each SQLite connection, installed on first use. */
internal object SqliteBusyHandlers {
    private val handlers = WeakHashMap<SQLiteConnection, CancellableBusyHandler>()

    /**
     * Attaches [cancelled] to [connection]'s handler until the returned handle is closed; `null` when it
     * is no SQLite connection. (Typed `AutoCloseable` so that callers never load sqlite-jdbc classes
     * unless they call this: the driver is an optional dependency.)
     */
    fun attach(connection: Connection, cancelled: () -> Boolean): AutoCloseable? {
        val sqlite = try {
            if (!connection.isWrapperFor(SQLiteConnection::class.java)) return null
            connection.unwrap(SQLiteConnection::class.java)
        } catch (e: SQLException) {
            return null
        }
        val handler = synchronized(handlers) { handlers.getOrPut(sqlite) { install(sqlite) } }
        handler.cancelled = cancelled
        return AutoCloseable { handler.cancelled = CancellableBusyHandler.NEVER }
    }

    private fun install(connection: SQLiteConnection): CancellableBusyHandler {
        val timeoutMs = connection.createStatement().use { st ->
            st.executeQuery("PRAGMA busy_timeout").use { rs -> if (rs.next()) rs.getLong(1) else 0L }
        }
        return CancellableBusyHandler(timeoutMs).also { BusyHandler.setHandler(connection, it) }
    }
}
