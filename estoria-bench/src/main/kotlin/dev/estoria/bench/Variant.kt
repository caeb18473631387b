package dev.estoria.bench

import dev.estoria.jdbc.JdbcStoreOptions
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import java.util.concurrent.Executors
import kotlin.coroutines.CoroutineContext

/**
 * A store configuration to measure, named on the command line (`-Dbench.variants=default,pageSize=100`;
 * several variants give one section each in the same run, each with its own interleaved baselines).
 * `default` is the library's defaults; otherwise `key=value` pairs joined by `+`. To compare a new store
 * option, add its key to [applyTo] (and to [KEYS]); every store is built from its variant in [Stores].
 */
data class Variant(val name: String, val settings: Map<String, String>) {
    /** The JDBC options of this variant, starting from [base]. */
    fun applyTo(base: JdbcStoreOptions.Builder): JdbcStoreOptions.Builder {
        for ((key, value) in settings) {
            when (key) {
                "pageSize" -> base.pageSize(value.toInt())
                "coalesceAppends" -> base.coalesceAppends(value.toBooleanStrict())
                "appendWriters" -> base.appendWriters(value.toInt())
                "dispatcher" -> base.dispatcher(dispatcher(value))
                else -> throw IllegalArgumentException("unknown store variant key '$key' (known: ${KEYS.joinToString()})")
            }
        }
        return base
    }

    /** The in-memory store's page size ([applyTo]'s `pageSize`), or its default. */
    fun memoryPageSize(default: Int): Int = settings["pageSize"]?.toInt() ?: default

    override fun toString(): String = name

    companion object {
        /** The keys [applyTo] understands. */
        val KEYS: List<String> = listOf("pageSize", "coalesceAppends", "appendWriters", "dispatcher")

        /**
         * The `dispatcher` key's values: `io` (the default), `unconfined` (JDBC on the caller's own thread:
         * what the hop to the I/O dispatcher costs, not a setting to run a service with), `pool` (a fixed pool
         * of [POOL_THREADS] threads of its own: a hand-over to a dedicated thread instead of the shared scheduler),
         * `io-hop` (`Dispatchers.IO` behind a wrapper, so the stores do not recognise it: a `Default` caller is
         * dispatched back to Default after each call, as before the stores handed such callers over; see
         * `docs/benchmarks.md`, "The dispatcher hop").
         */
        fun dispatcher(name: String): CoroutineDispatcher = when (name) {
            "io" -> Dispatchers.IO
            "unconfined" -> Dispatchers.Unconfined
            "pool" -> pool
            "io-hop" -> IoBehindAWrapper
            else -> throw IllegalArgumentException("unknown dispatcher '$name' (io, unconfined, pool, io-hop)")
        }

        private const val POOL_THREADS = 16

        /** `Dispatchers.IO`'s threads under another identity (the `io-hop` dispatcher). */
        private object IoBehindAWrapper : CoroutineDispatcher() {
            override fun isDispatchNeeded(context: CoroutineContext): Boolean = Dispatchers.IO.isDispatchNeeded(context)

            override fun dispatch(context: CoroutineContext, block: Runnable): Unit = Dispatchers.IO.dispatch(context, block)

            override fun toString(): String = "Dispatchers.IO (wrapped)"
        }

        /** One pool for the whole run (daemon threads: the benchmark exits without closing it). */
        private val pool: CoroutineDispatcher by lazy {
            Executors.newFixedThreadPool(POOL_THREADS) { r -> Thread(r, "bench-jdbc").also { it.isDaemon = true } }.asCoroutineDispatcher()
        }

        val DEFAULT: Variant = Variant("default", emptyMap())

        /** Parses `default` or `key=value+key=value`. */
        fun parse(text: String): Variant {
            if (text == "default") return DEFAULT
            val settings = text.split('+').associate { part ->
                val eq = part.indexOf('=')
                require(eq > 0) { "store variant '$part' is not key=value" }
                part.substring(0, eq) to part.substring(eq + 1)
            }
            settings.keys.forEach { require(it in KEYS) { "unknown store variant key '$it' (known: ${KEYS.joinToString()})" } }
            return Variant(text, settings)
        }
    }
}
