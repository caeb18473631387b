package dev.estoria.internal

import kotlinx.coroutines.CancellationException

/** Logging through `System.Logger`, which routes to SLF4J, JUL or Log4j as the application configures. */
internal object Log {
    fun of(type: Class<*>): System.Logger = System.getLogger(type.name)
}

/**
 * Runs [block]; any failure other than cancellation is logged at WARNING as "[what] failed" and
 * turned into `null`. For the steps that must never fail the operation around them (snapshots, caches).
 *
 * "Any failure" includes `Error`s thrown by user code such as a state codec (`NotImplementedError`,
 * `LinkageError`, `AssertionError`): a snapshot or cache step must not fail a save whose events are
 * stored. A [VirtualMachineError] (`OutOfMemoryError`, `StackOverflowError`, `InternalError`) propagates
 * as is: the JVM itself is in trouble and hiding that would be worse.
 */
internal suspend fun <T> swallowing(log: System.Logger, what: String, block: suspend () -> T?): T? =
    try {
        block()
    } catch (e: CancellationException) {
        throw e
    } catch (e: VirtualMachineError) {
        throw e
    } catch (e: Throwable) {
        log.log(System.Logger.Level.WARNING, "$what failed, continuing without it: $e", e)
        null
    }
