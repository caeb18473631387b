package dev.estoria.jdbc.live

import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.internal.cancellingOnCancel
import dev.estoria.projection.AppendSignal
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext
import org.postgresql.PGConnection
import java.sql.Connection
import java.sql.SQLException

/**
 * Wakes processors at once when any JVM appends to the store's tables: `LISTEN`s on the store's
 * [AppendChannel] on a dedicated connection (opened by [connections], never from the pool) and turns
 * every notification into [signal] (give that signal to processors with
 * `ProjectionOptions.Builder.wakeUp`). The writers' [PostgresAppendNotifier] sends the notifications.
 *
 * It waits for notifications at most [LiveTailingOptions.heartbeat] at a time and then checks the
 * connection with `SELECT 1`; when the connection is lost (server restart, `pg_terminate_backend`, network)
 * it reconnects with back-off and signals once after each `LISTEN`, so appends made while it was not
 * listening are read at once too. Notifications only shorten waits: processors still poll with their idle
 * back-off, which stays the fallback (and the only path while the listener is down). Blocking calls run
 * on the store options' dispatcher; cancellation aborts the blocked wait.
 *
 * Tested by `PostgresLiveTailingTest` ("a processor on a second store is woken by the first store's appends",
 * "the listener reconnects after its backend is terminated").
 */
public class PostgresAppendListener @JvmOverloads constructor(
    private val connections: PostgresConnections,
    storeOptions: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
    /** The signal every notification (and every new `LISTEN`) fires. */
    public val signal: AppendSignal = AppendSignal(),
    private val options: LiveTailingOptions = LiveTailingOptions.DEFAULT,
) : BackgroundWorker("postgres append listener") {
    /** The channel it listens on. */
    public val channel: String = AppendChannel.of(storeOptions)
    private val dispatcher = storeOptions.dispatcher
    private val received = MutableStateFlow(0L)
    private val listens = MutableStateFlow(0L)
    private val pid = MutableStateFlow<Int?>(null)
    private val error = MutableStateFlow<Throwable?>(null)

    /** Notifications received so far. */
    public val notifications: StateFlow<Long> = received.asStateFlow()

    /** Successful `LISTEN`s so far: 1 after the first connection, one more per reconnection. */
    public val sessions: StateFlow<Long> = listens.asStateFlow()

    /** The server process id of the listening connection, or `null` while not connected. */
    public val backendPid: StateFlow<Int?> = pid.asStateFlow()

    /** The last failure of the connection (cleared by nothing: for logs and health checks). */
    public val lastError: StateFlow<Throwable?> = error.asStateFlow()

    override suspend fun run() {
        var backoff = options.reconnectMinBackoff
        while (true) {
            try {
                withContext(dispatcher) { listen { backoff = options.reconnectMinBackoff } }
            } catch (e: SQLException) {
                currentCoroutineContext().ensureActive()
                error.value = e
            } finally {
                pid.value = null
            }
            delay(backoff.toMillis())
            backoff = minOf(backoff.multipliedBy(2), options.reconnectMaxBackoff)
        }
    }

    /** One session: connect, `LISTEN`, then wait for notifications until the connection fails. */
    private suspend fun listen(onListening: () -> Unit) {
        val connection = connections.open()
        try {
            cancellingOnCancel(currentCoroutineContext()[Job], { abort(connection) }) {
                connection.autoCommit = true
                connection.createStatement().use { it.execute("LISTEN $channel") }
                val pg = connection.unwrap(PGConnection::class.java)
                pid.value = pg.backendPID
                listens.update { it + 1 }
                onListening()
                signal.signal()
                val wait = options.heartbeat.toMillis().toInt().coerceAtLeast(1)
                while (true) {
                    currentCoroutineContext().ensureActive()
                    val batch = pg.getNotifications(wait)
                    if (!batch.isNullOrEmpty()) {
                        received.update { it + batch.size }
                        signal.signal()
                    } else {
                        connection.createStatement().use { it.execute("SELECT 1") }
                    }
                }
            }
        } finally {
            runCatching { connection.close() }
        }
    }

    private fun abort(connection: Connection) {
        runCatching { connection.abort { it.run() } }
    }

    override fun toString(): String = "PostgresAppendListener(channel=$channel)"
}
