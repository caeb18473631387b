package dev.estoria.cache.redis

import dev.estoria.cache.redis.internal.RedisCommands
import dev.estoria.cache.redis.internal.RedisKeys
import dev.estoria.cache.redis.internal.SnapshotFormat
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import io.lettuce.core.Limit
import io.lettuce.core.Range
import io.lettuce.core.ExperimentalLettuceCoroutinesApi
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection
import kotlinx.coroutines.flow.firstOrNull

/**
 * A [SnapshotStore] in Redis (6.2+, 7) or Valkey, standalone or cluster, on Lettuce's coroutine API.
 *
 * Each aggregate has one sorted set `<keyPrefix>{<aggregate id>}` scored by version; a member holds
 * the version, timestamp (nanosecond precision), content type and data, so a [read] is one
 * `ZREVRANGEBYSCORE … LIMIT 0 1` and data, content type and timestamp round-trip exactly. A [write] is
 * one Lua script: replace the snapshot at that version, then trim to [RedisSnapshotStoreOptions.keepLast]
 * (TCK: `SnapshotStoreSuite`). Aggregate types never share a key. Versions must be <= 2^53 (scores
 * are doubles). Failures and timeouts are [StoreException]s keeping the driver exception as cause.
 *
 * Deleting an aggregate's stream does not reach this store (it is separate from the event store): the
 * snapshotting layer deletes an aggregate's snapshots here when a load finds its stream gone or finds a
 * snapshot the stream does not confirm, and [delete] (`SnapshotStore.delete`) erases them at once —
 * call it beside `StreamDeleter.delete` when erasing personal data. [RedisSnapshotStoreOptions.ttl]
 * bounds how long an untouched aggregate's snapshots stay.
 *
 * The connection must use a `ByteArrayCodec`; it is shared, not closed by this store.
 */
@OptIn(ExperimentalLettuceCoroutinesApi::class)
public class RedisSnapshotStore private constructor(
    private val redis: RedisCommands,
    private val options: RedisSnapshotStoreOptions,
) : SnapshotStore {

    /** A store on a standalone (or master/replica) [connection]. */
    @JvmOverloads
    public constructor(
        connection: StatefulRedisConnection<ByteArray, ByteArray>,
        options: RedisSnapshotStoreOptions = RedisSnapshotStoreOptions.DEFAULT,
    ) : this(RedisCommands.of(connection, options.commandTimeout), options)

    /** A store on a Redis Cluster [connection]. */
    @JvmOverloads
    public constructor(
        connection: StatefulRedisClusterConnection<ByteArray, ByteArray>,
        options: RedisSnapshotStoreOptions = RedisSnapshotStoreOptions.DEFAULT,
    ) : this(RedisCommands.of(connection, options.commandTimeout), options)

    private val keys = RedisKeys(options.keyPrefix)
    private val keepArg = (options.keepLast ?: 0).toString().toByteArray(Charsets.US_ASCII)
    private val ttlArg = (options.ttl?.toMillis() ?: 0L).toString().toByteArray(Charsets.US_ASCII)

    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? {
        if (maxVersion != null && maxVersion < 1) return null
        val key = keys.of(aggregateId)
        val upper: Range.Boundary<Long> = if (maxVersion == null) Range.Boundary.unbounded() else Range.Boundary.including(maxVersion)
        val range: Range<Long> = Range.from(Range.Boundary.unbounded(), upper)
        val member = redis.call("snapshot read", aggregateId) { zrevrangebyscore(key, range, Limit.create(0, 1)).firstOrNull() }
            ?: return null
        return SnapshotFormat.decode(aggregateId, member)
            ?: throw StoreException("snapshot read", aggregateId, "snapshot read failed on stream $aggregateId: not an Estoria snapshot entry", null)
    }

    override suspend fun write(snapshot: Snapshot) {
        if (snapshot.version > MAX_VERSION) throw InvalidInputException("RedisSnapshotStore supports versions up to 2^53, was ${snapshot.version}")
        val key = keys.of(snapshot.aggregateId)
        val version = snapshot.version.toString().toByteArray(Charsets.US_ASCII)
        val member = SnapshotFormat.encode(snapshot)
        redis.call("snapshot write", snapshot.aggregateId) { redis.evalInteger(WRITE, arrayOf(key), version, member, keepArg, ttlArg) }
    }

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) {
        val key = keys.of(aggregateId)
        if (toVersion == null) {
            redis.call("snapshot delete", aggregateId) { del(key) }
        } else {
            val range: Range<Long> = Range.from(Range.Boundary.unbounded(), Range.Boundary.including(toVersion))
            redis.call("snapshot delete", aggregateId) { zremrangebyscore(key, range) }
        }
    }

    override fun toString(): String = "RedisSnapshotStore($options)"

    private companion object {
        const val MAX_VERSION: Long = 1L shl 53

        /** KEYS[1] the sorted set; ARGV: version, member, keepLast (0: all), TTL ms (0: none). */
        val WRITE = RedisCommands.Script(
            """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            local keep = tonumber(ARGV[3])
            if keep > 0 then
              redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -keep - 1)
            end
            if ARGV[4] ~= '0' then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            return 1
            """.trimIndent(),
        )
    }
}
