package dev.estoria.cache.redis.internal

import dev.estoria.error.StoreFailure
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
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withTimeoutOrNull
import java.security.MessageDigest
import java.time.Duration

/**
 * The one engine under the Redis cache and snapshot store: Lettuce's coroutine commands (standalone
 * or cluster, which share [RedisClusterCoroutinesCommands]), a client-side deadline per command, and
 * Lua scripts run by SHA with a fallback to EVAL when the server does not know them (e.g. after a
 * restart or on a new cluster node).
 */
@OptIn(ExperimentalLettuceCoroutinesApi::class)
internal class RedisCommands private constructor(
    val commands: RedisClusterCoroutinesCommands<ByteArray, ByteArray>,
    commandTimeout: Duration,
) {
    private val timeoutMillis = commandTimeout.toMillis().coerceAtLeast(1)

    /** Runs [block] within the command timeout; any failure becomes a [StoreFailure] of [operation]. */
    suspend fun <T> call(operation: String, id: TypeId?, block: suspend RedisClusterCoroutinesCommands<ByteArray, ByteArray>.() -> T): T {
        val result = try {
            // Unconfined: no extra thread hop, and the deadline is real time whatever the caller's
            // dispatcher (a test dispatcher's virtual clock would otherwise fire it at once).
            withContext(Dispatchers.Unconfined) { withTimeoutOrNull(timeoutMillis) { Box(commands.block()) } }
        } catch (e: CancellationException) {
            // Our own cancellation propagates; a driver's cancellation of the command is a failure.
            currentCoroutineContext().ensureActive()
            throw StoreFailure(operation, id, e)
        } catch (e: StoreFailure) {
            throw e
        } catch (e: Exception) {
            throw StoreFailure(operation, id, e)
        }
        val box = result
            ?: throw StoreFailure(operation, id, "$operation timed out after $timeoutMillis ms" + (id?.let { " on $it" } ?: ""), null)
        return box.value
    }

    /** Runs [script] (by SHA, loading it on NOSCRIPT) with [keys] and [args], returning its integer result. */
    suspend fun evalInteger(script: Script, keys: Array<ByteArray>, vararg args: ByteArray): Long? =
        try {
            commands.evalsha<Long>(script.sha, ScriptOutputType.INTEGER, keys, *args)
        } catch (e: RedisNoScriptException) {
            commands.eval<Long>(script.source, ScriptOutputType.INTEGER, keys, *args)
        }

    private class Box<T>(val value: T)

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
