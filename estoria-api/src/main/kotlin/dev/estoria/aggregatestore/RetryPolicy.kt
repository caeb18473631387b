package dev.estoria.aggregatestore

import dev.estoria.error.InvalidInputException
import java.time.Duration
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

    /** The delay in milliseconds before attempt [attempt] (2 = first retry), jittered with [random]. */
    @JvmOverloads
    public fun delayMillisBefore(attempt: Int, random: Random = Random.Default): Long {
        val exponent = (attempt - 2).coerceIn(0, 30)
        val cap = minOf(maxDelay.toMillis(), initialDelay.toMillis() shl exponent)
        return if (cap <= 0) 0 else random.nextLong(cap / 2, cap + 1)
    }

    /** Presets. */
    public companion object {
        /** 5 attempts, 10 ms to 500 ms. */
        @JvmField public val DEFAULT: RetryPolicy = RetryPolicy()

        /** One attempt, no retry. */
        @JvmField public val NONE: RetryPolicy = RetryPolicy(maxAttempts = 1)
    }
}
