package dev.estoria.jdbc.live

import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.projection.AppendSignal
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext
import java.sql.Connection
import java.sql.SQLException
import java.time.Duration

/**
 * Tells listeners in every JVM that appends returned: watches [signal] (the writers signal it, e.g. through
 * `store.signalling(signal)`) and sends `pg_notify` on the store's [AppendChannel] on a dedicated connection
 * of its own, **never inside an append's transaction**: a `NOTIFY` takes a cluster-wide lock at commit that
 * serializes every notifying transaction, which would bring back the global lock the appends avoid.
 *
 * Coalesced: a signal is notified at once, then the notifier waits [LiveTailingOptions.coalesceWindow] and
 * sends one more notify for all the signals of that window (so N appends cause between 1 and N notifies, and
 * at most one per window). Idle, it runs no timer: it waits for the next signal. A failed notify is counted
 * in [failures], the connection is reopened after a back-off, and processors fall back to polling; appends
 * never wait for or fail because of it. Blocking calls run on the store options' dispatcher.
 *
 * Tested by `PostgresLiveTailingTest` ("the append path issues no NOTIFY", "N concurrent appends cause
 * between 1 and N notifies").
 */
public class PostgresAppendNotifier @JvmOverloads constructor(
    private val connections: PostgresConnections,
    storeOptions: JdbcStoreOptions = JdbcStoreOptions.DEFAULT,
    /** The signal the writers fire after their appends return. */
    public val signal: AppendSignal = AppendSignal(),
    private val options: LiveTailingOptions = LiveTailingOptions.DEFAULT,
) : BackgroundWorker("postgres append notifier") {
    /** The channel it notifies. */
    public val channel: String = AppendChannel.of(storeOptions)
    private val dispatcher = storeOptions.dispatcher
    private val notified = MutableStateFlow(0L)
    private val failed = MutableStateFlow(0L)
    private val error = MutableStateFlow<Throwable?>(null)
    private val covered = MutableStateFlow(0L)
    private var connection: Connection? = null
    private var backoff: Duration = options.reconnectMinBackoff

    /** Notifies sent so far. */
    public val sent: StateFlow<Long> = notified.asStateFlow()

    /** Notifies that failed so far (processors saw those appends by polling). */
    public val failures: StateFlow<Long> = failed.asStateFlow()

    /** The last notify failure (for logs and health checks). */
    public val lastError: StateFlow<Throwable?> = error.asStateFlow()

    /** The highest signal count a notify sent (or failed) after; for tests waiting until it is idle. */
    internal val coveredSignal: StateFlow<Long> = covered.asStateFlow()

    override suspend fun run() {
        val before = signal.signals.value
        try {
            // a StateFlow is conflated: signals arriving while a notify or the window runs are seen once
            signal.signals.filter { it > before }.collect { count ->
                val ok = notifyOnce()
                covered.value = count
                if (ok) {
                    if (!options.coalesceWindow.isZero) delay(options.coalesceWindow.toMillis())
                } else {
                    delay(backoff.toMillis())
                    backoff = minOf(backoff.multipliedBy(2), options.reconnectMaxBackoff)
                }
            }
        } finally {
            connection?.let { runCatching { it.close() } }
            connection = null
        }
    }

    /** One notify on the dedicated connection (opened when missing); false when it failed. */
    private suspend fun notifyOnce(): Boolean = withContext(dispatcher) {
        try {
            val c = connection ?: connections.open().also {
                it.autoCommit = true
                connection = it
            }
            c.prepareStatement("SELECT pg_notify(?, '')").use { statement ->
                statement.setString(1, channel)
                statement.execute()
            }
            notified.update { it + 1 }
            backoff = options.reconnectMinBackoff
            true
        } catch (e: SQLException) {
            failed.update { it + 1 }
            error.value = e
            connection?.let { runCatching { it.close() } }
            connection = null
            false
        }
    }

    override fun toString(): String = "PostgresAppendNotifier(channel=$channel)"
}
