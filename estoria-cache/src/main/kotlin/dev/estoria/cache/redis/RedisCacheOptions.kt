package dev.estoria.cache.redis

import dev.estoria.error.InvalidInputException
import java.time.Duration

/**
 * Options of a [RedisAggregateCache]; build with [builder] (Java) or [RedisCacheOptions.DEFAULT].
 *
 * - [keyPrefix]: default `estoria:cache:`; keys are `<prefix>{<aggregate id>}`.
 * - [ttl]: default `null` (entries never expire; rely on Redis `maxmemory-policy`). Each successful
 *   put sets the TTL again.
 * - [commandTimeout]: default 250 ms; a command not answered in time fails (and the caching layer
 *   treats it as a miss), so a slow or unreachable Redis costs at most this much per load or save.
 */
public class RedisCacheOptions private constructor(
    /** The prefix of every key. */
    public val keyPrefix: String,
    /** How long an entry lives after its last successful put, or `null` for no expiry. */
    public val ttl: Duration?,
    /** The client-side deadline of each Redis command. */
    public val commandTimeout: Duration,
) {
    /** A builder starting from these options. */
    public fun toBuilder(): Builder = Builder().keyPrefix(keyPrefix).ttl(ttl).commandTimeout(commandTimeout)

    override fun toString(): String = "RedisCacheOptions(keyPrefix=$keyPrefix, ttl=$ttl, commandTimeout=$commandTimeout)"

    /** Builds [RedisCacheOptions]; every setter documents its default. */
    public class Builder {
        private var keyPrefix: String = DEFAULT_KEY_PREFIX
        private var ttl: Duration? = null
        private var commandTimeout: Duration = DEFAULT_COMMAND_TIMEOUT

        /** The key prefix (no `{` or `}`). Default: `estoria:cache:`. */
        public fun keyPrefix(prefix: String): Builder = apply {
            if (prefix.contains('{') || prefix.contains('}')) throw InvalidInputException("key prefix must not contain '{' or '}': $prefix")
            keyPrefix = prefix
        }

        /** Entry time to live (> 0, millisecond precision), or `null` for none. Default: `null`. */
        public fun ttl(ttl: Duration?): Builder = apply {
            if (ttl != null && ttl.toMillis() < 1) throw InvalidInputException("ttl must be >= 1 ms, was $ttl")
            this.ttl = ttl
        }

        /** The per-command deadline (>= 1 ms). Default: 250 ms. */
        public fun commandTimeout(timeout: Duration): Builder = apply {
            if (timeout.toMillis() < 1) throw InvalidInputException("commandTimeout must be >= 1 ms, was $timeout")
            commandTimeout = timeout
        }

        /** The options. */
        public fun build(): RedisCacheOptions = RedisCacheOptions(keyPrefix, ttl, commandTimeout)
    }

    /** Defaults and factory. */
    public companion object {
        /** `estoria:cache:` */
        public const val DEFAULT_KEY_PREFIX: String = "estoria:cache:"

        /** 250 ms. */
        @JvmField
        public val DEFAULT_COMMAND_TIMEOUT: Duration = Duration.ofMillis(250)

        /** Every option at its default. */
        @JvmField
        public val DEFAULT: RedisCacheOptions = Builder().build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
