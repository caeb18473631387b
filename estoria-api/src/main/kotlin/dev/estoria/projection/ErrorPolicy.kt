package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import java.time.Duration

/**
 * What a processor does when a handler throws for an event (per projection):
 * - [stop]: checkpoint the events before it and fail the processor with `ProjectionFailedException`;
 * - [retry]: call the handler again up to `maxAttempts` times in all, waiting `initialBackoff`, doubled up to
 *   `maxBackoff`, then fall back to another policy (default: stop);
 * - [skipTo]: record a [DeadLetter] (the failing event and the cause) in a [DeadLetterSink] and go on.
 *
 * Cancellation is never handled by the policy: it stops the processor. TCK: `ProjectionSuite`.
 */
public class ErrorPolicy private constructor(
    /** Calls of the handler per event before [fallback] decides (1: no retry). */
    public val maxAttempts: Int,
    /** Wait before the first retry. */
    public val initialBackoff: Duration,
    /** Longest wait between retries. */
    public val maxBackoff: Duration,
    /** Where failing events go once retries are exhausted; `null`: stop. */
    public val deadLetters: DeadLetterSink?,
) {
    override fun toString(): String =
        "ErrorPolicy(maxAttempts=$maxAttempts, backoff=$initialBackoff..$maxBackoff, then=${if (deadLetters == null) "stop" else "dead-letter"})"

    /** Factories. */
    public companion object {
        /** Stop at the first failure. */
        @JvmStatic
        public fun stop(): ErrorPolicy = ErrorPolicy(1, Duration.ZERO, Duration.ZERO, null)

        /** Skip a failing event at once, recording it in [deadLetters]. */
        @JvmStatic
        public fun skipTo(deadLetters: DeadLetterSink): ErrorPolicy = ErrorPolicy(1, Duration.ZERO, Duration.ZERO, deadLetters)

        /**
         * Retry up to [maxAttempts] calls in all with exponential back-off from [initialBackoff] up to [maxBackoff],
         * then stop, or skip to [deadLetters] when given.
         *
         * @throws InvalidInputException when [maxAttempts] < 1 or a back-off is negative or [maxBackoff] < [initialBackoff].
         */
        @JvmStatic
        @JvmOverloads
        public fun retry(
            maxAttempts: Int,
            initialBackoff: Duration,
            maxBackoff: Duration = initialBackoff.multipliedBy(16),
            deadLetters: DeadLetterSink? = null,
        ): ErrorPolicy {
            if (maxAttempts < 1) throw InvalidInputException("maxAttempts must be >= 1, was $maxAttempts")
            if (initialBackoff.isNegative || maxBackoff < initialBackoff) {
                throw InvalidInputException("back-off must satisfy 0 <= initialBackoff <= maxBackoff, was $initialBackoff..$maxBackoff")
            }
            return ErrorPolicy(maxAttempts, initialBackoff, maxBackoff, deadLetters)
        }
    }
}
