package dev.estoria.cache.redis

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.cache.redis.internal.CacheEntryFormat
import dev.estoria.cache.redis.internal.RedisCommands
import dev.estoria.cache.redis.internal.RedisKeys
import dev.estoria.codec.Codec
import dev.estoria.codec.decodeAs
import dev.estoria.codec.encodeAs
import dev.estoria.error.CodecException
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import io.lettuce.core.ExperimentalLettuceCoroutinesApi
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection

/**
 * A distributed [AggregateCache] in Redis (6.2+, 7) or Valkey, standalone or cluster, on Lettuce's
 * coroutine API. Each aggregate is one string key `<keyPrefix>{<aggregate id>}` (the id is the cluster
 * hash tag) holding the state encoded with [codec] together with its version, last event id and
 * content type.
 *
 * Guarantees:
 * - **Version-monotonic writes in the server**: [put] runs a Lua compare-and-set that keeps the cached
 *   entry when its version is >= the new one, so application instances racing can never leave an
 *   older version cached (TCK: `AggregateCacheSuite`; race test in this module).
 * - [get] is a single `GET`. An entry that cannot be decoded (other format, other content type, codec
 *   error, or a version outside 1..Long.MAX_VALUE) is deleted and reported as a [CodecException], and
 *   the next [put] writes over such an entry whatever its version; every Redis error or timeout (see
 *   [RedisCacheOptions.commandTimeout]) is a [dev.estoria.error.StoreException]. `CachingAggregateStore`
 *   logs both and treats them as misses.
 *
 * The connection must use a `ByteArrayCodec` (`client.connect(ByteArrayCodec.INSTANCE)`); it is shared,
 * not closed by this cache. Prefer `ClientOptions.disconnectedBehavior(REJECT_COMMANDS)` so commands fail
 * at once while Redis is unreachable instead of waiting for [RedisCacheOptions.commandTimeout].
 */
@OptIn(ExperimentalLettuceCoroutinesApi::class)
public class RedisAggregateCache<S> private constructor(
    private val redis: RedisCommands,
    private val codec: Codec<S>,
    private val options: RedisCacheOptions,
) : AggregateCache<S> {

    /** A cache on a standalone (or master/replica) [connection], encoding states with [codec]. */
    @JvmOverloads
    public constructor(
        connection: StatefulRedisConnection<ByteArray, ByteArray>,
        codec: Codec<S>,
        options: RedisCacheOptions = RedisCacheOptions.DEFAULT,
    ) : this(RedisCommands.of(connection, options.commandTimeout), codec, options)

    /** A cache on a Redis Cluster [connection], encoding states with [codec]. */
    @JvmOverloads
    public constructor(
        connection: StatefulRedisClusterConnection<ByteArray, ByteArray>,
        codec: Codec<S>,
        options: RedisCacheOptions = RedisCacheOptions.DEFAULT,
    ) : this(RedisCommands.of(connection, options.commandTimeout), codec, options)

    private val keys = RedisKeys(options.keyPrefix)
    private val ttlMillis: ByteArray = (options.ttl?.toMillis() ?: 0L).toString().toByteArray(Charsets.US_ASCII)

    override suspend fun get(id: TypeId): CachedState<S>? {
        val key = keys.of(id)
        val bytes = redis.call("cache get", id) { get(key) } ?: return null
        val entry = CacheEntryFormat.decode(bytes)
        val problem = when {
            entry == null -> "not an Estoria cache entry"
            entry.contentType != codec.contentType -> "content type ${entry.contentType}, codec expects ${codec.contentType}"
            else -> null
        }
        if (entry == null || problem != null) throw undecodable(id, key, problem ?: "", null)
        val lastEventId = try {
            entry.lastEventId?.let { TypeId.parse(it) }
        } catch (e: InvalidInputException) {
            throw undecodable(id, key, "last event id '${entry.lastEventId}' is not an id", e)
        }
        val state = try {
            codec.decodeAs(id.type, entry.data)
        } catch (e: CodecException) {
            throw undecodable(id, key, e.message ?: "codec failure", e)
        }
        return CachedState(entry.version, state, lastEventId)
    }

    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?) {
        if (version < 1) throw InvalidInputException("version must be >= 1, was $version")
        val value = CacheEntryFormat.encode(version, lastEventId?.toString(), codec.contentType, codec.encodeAs(id.type, state))
        val versionArg = version.toString().toByteArray(Charsets.US_ASCII)
        val key = keys.of(id)
        redis.call("cache put", id) { redis.evalInteger(PUT, arrayOf(key), versionArg, value, ttlMillis) }
    }

    override suspend fun invalidate(id: TypeId) {
        val key = keys.of(id)
        redis.call("cache invalidate", id) { del(key) }
    }

    /** Deletes the bad entry (best effort) and returns the failure to throw. */
    private suspend fun undecodable(id: TypeId, key: ByteArray, problem: String, cause: Throwable?): CodecException {
        val failure = CodecException(id.type, codec.contentType, "undecodable cache entry for $id: $problem", cause)
        try {
            redis.call("cache delete undecodable", id) { del(key) }
        } catch (e: dev.estoria.error.StoreException) {
            failure.addSuppressed(e)
        }
        return failure
    }

    override fun toString(): String = "RedisAggregateCache($options)"

    private companion object {
        /**
         * KEYS[1] the entry; ARGV[1] the new version (decimal), ARGV[2] the entry bytes, ARGV[3] the TTL in
         * ms (0: none). Keeps an entry whose version (read from its `e1:`/`e2:<version>:` header, compared
         * as decimal strings: exact for any Long) is >= ARGV[1]; returns 1 when written, 0 when kept. An
         * entry whose version is not in 1..Long.MAX_VALUE is junk (a miss for [get]) and is overwritten.
         */
        val PUT = RedisCommands.Script(
            """
            local cur = redis.call('GET', KEYS[1])
            if cur then
              local v = string.match(cur, '^e[12]:([1-9]%d*):')
              if v and (string.len(v) < 19 or (string.len(v) == 19 and v <= '9223372036854775807')) then
                local n = ARGV[1]
                if string.len(v) > string.len(n) or (string.len(v) == string.len(n) and v >= n) then
                  return 0
                end
              end
            end
            if ARGV[3] ~= '0' then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], ARGV[2])
            end
            return 1
            """.trimIndent(),
        )
    }
}
