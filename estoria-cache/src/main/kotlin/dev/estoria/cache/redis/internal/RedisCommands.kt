package dev.estoria.cache.redis.internal

import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import io.lettuce.core.ExperimentalLettuceCoroutinesApi
import io.lettuce.core.RedisNoScriptException
import io.lettuce.core.ScriptOutputType
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.api.coroutines
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection
import io.lettuce.core.cluster.api.coroutines
import io.lettuce.core.cluster.api.coroutines.RedisClusterCoroutinesCommands
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import java.security.MessageDigest
import java.time.Duration

/**
 * The one engine under the Redis cache and snapshot store: Lettuce's coroutine commands (standalone
 * or cluster, which share [RedisClusterCoroutinesCommands]), a client-side deadline per command
 * ([Deadlines]), and
 * Lua scripts run by SHA with a fallback to EVAL when the server does not know them (e.g. after a
 * restart or on a new cluster node).
 */
@OptIn(ExperimentalLettuceCoroutinesApi::class)
internal class RedisCommands private constructor(
    val commands: RedisClusterCoroutinesCommands<ByteArray, ByteArray>,
    commandTimeout: Duration,
) {
    private val timeoutNanos = commandTimeout.toNanos().coerceAtLeast(1_000_000)

    /** Runs [block] within the command timeout; any failure becomes a [StoreException] of [operation]. */
    suspend fun <T> call(operation: String, id: TypeId?, block: suspend RedisClusterCoroutinesCommands<ByteArray, ByteArray>.() -> T): T {
        var watch: Deadlines.Watch? = null
        return try {
            // A scope of our own: the deadline cancels it, never the caller.
            coroutineScope {
                val w = Deadlines.register(timeoutNanos, coroutineContext.job)
                watch = w
                try {
                    commands.block()
                } finally {
                    Deadlines.unregister(w)
                }
            }
        } catch (e: CancellationException) {
            if (watch?.expired == true) {
                currentCoroutineContext().ensureActive()
                throw StoreException(operation, id, "$operation timed out after ${timeoutNanos / 1_000_000} ms" + (id?.let { " on $it" } ?: ""), null)
            }
            // Our own cancellation propagates; a driver's cancellation of the command is a failure.
            currentCoroutineContext().ensureActive()
            throw StoreException(operation, id, e)
        } catch (e: StoreException) {
            throw e
        } catch (e: Exception) {
            throw StoreException(operation, id, e)
        }
    }

    /** Runs [script] (by SHA, loading it on NOSCRIPT) with [keys] and [args], returning its integer result. */
    suspend fun evalInteger(script: Script, keys: Array<ByteArray>, vararg args: ByteArray): Long? =
        try {
            commands.evalsha<Long>(script.sha, ScriptOutputType.INTEGER, keys, *args)
        } catch (e: RedisNoScriptException) {
            commands.eval<Long>(script.source, ScriptOutputType.INTEGER, keys, *args)
        }

    /** A Lua script and its SHA-1. */
    class Script(val source: String) {
        val sha: String = MessageDigest.getInstance("SHA-1").digest(source.toByteArray(Charsets.UTF_8))
            .joinToString("") { "%02x".format(it) }
    }

    companion object {
        fun of(connection: StatefulRedisConnection<ByteArray, ByteArray>, commandTimeout: Duration): RedisCommands =
            RedisCommands(connection.coroutines(), commandTimeout)

        fun of(connection: StatefulRedisClusterConnection<ByteArray, ByteArray>, commandTimeout: Duration): RedisCommands =
            RedisCommands(connection.coroutines(), commandTimeout)
    }
}
