package dev.estoria.aggregatestore

import dev.estoria.error.InvalidInputException
import java.time.Duration
import java.util.random.RandomGenerator
import kotlin.random.Random

/**
 * How [update] retries after a [dev.estoria.error.StreamVersionConflictException]: at most [maxAttempts]
 * attempts in all (default 5), waiting an exponential back-off from [initialDelay] (default 10 ms),
 * doubling up to [maxDelay] (default 500 ms), with full jitter.
 */
public class RetryPolicy @JvmOverloads constructor(
    public val maxAttempts: Int = 5,
    public val initialDelay: Duration = Duration.ofMillis(10),
    public val maxDelay: Duration = Duration.ofMillis(500),
) {
    init {
        if (maxAttempts < 1) throw InvalidInputException("maxAttempts must be >= 1, was $maxAttempts")
        if (initialDelay.isNegative || maxDelay < initialDelay) {
            throw InvalidInputException("delays must satisfy 0 <= initialDelay <= maxDelay")
        }
    }

    /** The delay in milliseconds before attempt [attempt] (2 = first retry), jittered with [Random.Default]. */
    public fun delayMillisBefore(attempt: Int): Long = delayMillisBefore(attempt, Random.Default)

    /**
     * The delay in milliseconds before attempt [attempt] (2 = first retry), jittered with [random]. Hidden
     * from Java (kotlin.random.Random); Java passes a [RandomGenerator] to the overload.
     */
    @JvmSynthetic
    public fun delayMillisBefore(attempt: Int, random: Random): Long =
        jittered(attempt) { from, until -> random.nextLong(from, until) }

    /** The delay in milliseconds before attempt [attempt] (2 = first retry), jittered with [random]. */
    public fun delayMillisBefore(attempt: Int, random: RandomGenerator): Long =
        jittered(attempt) { from, until -> random.nextLong(from, until) }

    /** Full jitter: a delay in [cap / 2, cap], where cap doubles from [initialDelay] up to [maxDelay]. */
    private inline fun jittered(attempt: Int, nextLong: (from: Long, until: Long) -> Long): Long {
        val exponent = (attempt - 2).coerceIn(0, 30)
        val cap = minOf(maxDelay.toMillis(), initialDelay.toMillis() shl exponent)
        return if (cap <= 0) 0 else nextLong(cap / 2, cap + 1)
    }

    /** Presets. */
    public companion object {
        /** 5 attempts, 10 ms to 500 ms. */
        @JvmField public val DEFAULT: RetryPolicy = RetryPolicy()

        /** One attempt, no retry. */
        @JvmField public val NONE: RetryPolicy = RetryPolicy(maxAttempts = 1)
    }
}
