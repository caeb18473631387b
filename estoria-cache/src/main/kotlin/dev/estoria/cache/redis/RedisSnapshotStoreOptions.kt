package dev.estoria.cache.redis

import dev.estoria.error.InvalidInputException
import java.time.Duration

/**
 * Options of a [RedisSnapshotStore]; build with [builder] or use [RedisSnapshotStoreOptions.DEFAULT].
 *
 * - [keyPrefix]: default `estoria:snapshot:`; one sorted set per aggregate, `<prefix>{<aggregate id>}`.
 * - [keepLast]: default `null` (keep every snapshot); otherwise the newest `keepLast` (>= 1) per aggregate.
 * - [ttl]: default `null` (no expiry); otherwise an aggregate's snapshots expire this long after its
 *   last snapshot write.
 * - [commandTimeout]: default 2 s; a command not answered in time fails with a `StoreException` (the
 *   snapshotting layer then replays events instead).
 */
public class RedisSnapshotStoreOptions private constructor(
    /** The prefix of every key. */
    public val keyPrefix: String,
    /** How many snapshots to keep per aggregate, or `null` for all. */
    public val keepLast: Int?,
    /** How long an aggregate's snapshots live after its last write, or `null` for no expiry. */
    public val ttl: Duration?,
    /** The client-side deadline of each Redis command. */
    public val commandTimeout: Duration,
) {
    /** A builder starting from these options. */
    public fun toBuilder(): Builder = Builder().keyPrefix(keyPrefix).keepLast(keepLast).ttl(ttl).commandTimeout(commandTimeout)

    override fun toString(): String =
        "RedisSnapshotStoreOptions(keyPrefix=$keyPrefix, keepLast=$keepLast, ttl=$ttl, commandTimeout=$commandTimeout)"

    /** Builds [RedisSnapshotStoreOptions]; every setter documents its default. */
    public class Builder {
        private var keyPrefix: String = DEFAULT_KEY_PREFIX
        private var keepLast: Int? = null
        private var ttl: Duration? = null
        private var commandTimeout: Duration = DEFAULT_COMMAND_TIMEOUT

        /** The key prefix (no `{` or `}`). Default: `estoria:snapshot:`. */
        public fun keyPrefix(prefix: String): Builder = apply {
            if (prefix.contains('{') || prefix.contains('}')) throw InvalidInputException("key prefix must not contain '{' or '}': $prefix")
            keyPrefix = prefix
        }

        /** Snapshots kept per aggregate (>= 1), or `null` for all. Default: `null`. */
        public fun keepLast(count: Int?): Builder = apply {
            if (count != null && count < 1) throw InvalidInputException("keepLast must be >= 1, was $count")
            keepLast = count
        }

        /** Expiry after the last write (>= 1 ms), or `null` for none. Default: `null`. */
        public fun ttl(ttl: Duration?): Builder = apply {
            if (ttl != null && ttl.toMillis() < 1) throw InvalidInputException("ttl must be >= 1 ms, was $ttl")
            this.ttl = ttl
        }

        /** The per-command deadline (>= 1 ms). Default: 2 s. */
        public fun commandTimeout(timeout: Duration): Builder = apply {
            if (timeout.toMillis() < 1) throw InvalidInputException("commandTimeout must be >= 1 ms, was $timeout")
            commandTimeout = timeout
        }

        /** The options. */
        public fun build(): RedisSnapshotStoreOptions = RedisSnapshotStoreOptions(keyPrefix, keepLast, ttl, commandTimeout)
    }

    /** Defaults and factory. */
    public companion object {
        /** `estoria:snapshot:` */
        public const val DEFAULT_KEY_PREFIX: String = "estoria:snapshot:"

        /** 2 seconds. */
        @JvmField
        public val DEFAULT_COMMAND_TIMEOUT: Duration = Duration.ofSeconds(2)

        /** Every option at its default. */
        @JvmField
        public val DEFAULT: RedisSnapshotStoreOptions = Builder().build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
