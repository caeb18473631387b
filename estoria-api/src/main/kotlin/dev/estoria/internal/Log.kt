package dev.estoria.internal

import kotlinx.coroutines.CancellationException

/** Logging through `System.Logger`, which routes to SLF4J, JUL or Log4j as the application configures. */
internal object Log {
    fun of(type: Class<*>): System.Logger = System.getLogger(type.name)
}

/**
 * Runs [block]; any failure other than cancellation is logged at WARNING as "[what] failed" and
 * turned into `null`. For the steps that must never fail the operation around them (snapshots, caches).
 */
internal suspend fun <T> swallowing(log: System.Logger, what: String, block: suspend () -> T?): T? =
    try {
        block()
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        log.log(System.Logger.Level.WARNING, "$what failed, continuing without it: $e", e)
        null
    }
