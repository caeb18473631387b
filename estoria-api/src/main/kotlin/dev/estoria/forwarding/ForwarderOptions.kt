package dev.estoria.forwarding

import dev.estoria.error.InvalidInputException
import dev.estoria.projection.AppendSignal
import java.time.Duration

/**
 * How a [Forwarder] runs; every option has a default. Build with [ForwarderOptions.builder].
 *
 * @property batchSize events read per batch; the checkpoint is saved after each. Default 256.
 * @property idleMinBackoff the first wait after an empty read; doubled while idle. Default 10 ms.
 * @property idleMaxBackoff the longest wait between polls while idle. Default 1 s.
 * @property maxAttempts handler calls per event before its stream is halted (1: no retry). Default 5.
 * @property retryMinBackoff the wait before the first retry; doubled per retry. Default 100 ms.
 * @property retryMaxBackoff the longest wait between retries. Default 10 s.
 * @property wakeUp a signal that ends an idle wait at once (an `AppendSignal`, or a PostgreSQL listener's). Default none.
 * @property listener what the forwarder reports to. Default [ForwarderListener.NONE].
 */
public class ForwarderOptions private constructor(builder: Builder) {
    public val batchSize: Int = builder.batchSize
    public val idleMinBackoff: Duration = builder.idleMinBackoff
    public val idleMaxBackoff: Duration = builder.idleMaxBackoff
    public val maxAttempts: Int = builder.maxAttempts
    public val retryMinBackoff: Duration = builder.retryMinBackoff
    public val retryMaxBackoff: Duration = builder.retryMaxBackoff
    public val wakeUp: AppendSignal? = builder.wakeUp
    public val listener: ForwarderListener = builder.listener

    override fun toString(): String =
        "ForwarderOptions(batchSize=$batchSize, idle=$idleMinBackoff..$idleMaxBackoff, maxAttempts=$maxAttempts, retry=$retryMinBackoff..$retryMaxBackoff)"

    /** Builds [ForwarderOptions]. */
    public class Builder internal constructor() {
        internal var batchSize: Int = 256
        internal var idleMinBackoff: Duration = Duration.ofMillis(10)
        internal var idleMaxBackoff: Duration = Duration.ofSeconds(1)
        internal var maxAttempts: Int = 5
        internal var retryMinBackoff: Duration = Duration.ofMillis(100)
        internal var retryMaxBackoff: Duration = Duration.ofSeconds(10)
        internal var wakeUp: AppendSignal? = null
        internal var listener: ForwarderListener = ForwarderListener.NONE

        /** Sets [ForwarderOptions.batchSize] (>= 1). */
        public fun batchSize(events: Int): Builder = apply { batchSize = events }

        /** Sets the idle polling back-off, from [min] doubling up to [max]. */
        public fun idleBackoff(min: Duration, max: Duration): Builder = apply {
            idleMinBackoff = min
            idleMaxBackoff = max
        }

        /** Sets the retries: [maxAttempts] calls in all, waiting from [min] doubling up to [max]. */
        public fun retries(maxAttempts: Int, min: Duration, max: Duration): Builder = apply {
            this.maxAttempts = maxAttempts
            retryMinBackoff = min
            retryMaxBackoff = max
        }

        /** Sets the wake-up signal. */
        public fun wakeUp(signal: AppendSignal?): Builder = apply { wakeUp = signal }

        /** Sets the listener. */
        public fun listener(listener: ForwarderListener): Builder = apply { this.listener = listener }

        /**
         * Builds the options.
         *
         * @throws InvalidInputException when a size or duration is out of range.
         */
        public fun build(): ForwarderOptions {
            if (batchSize < 1) throw InvalidInputException("batchSize must be >= 1, was $batchSize")
            if (maxAttempts < 1) throw InvalidInputException("maxAttempts must be >= 1, was $maxAttempts")
            if (idleMinBackoff.isNegative || idleMinBackoff.isZero || idleMaxBackoff < idleMinBackoff) {
                throw InvalidInputException("idle back-off must satisfy 0 < min <= max, was $idleMinBackoff..$idleMaxBackoff")
            }
            if (retryMinBackoff.isNegative || retryMaxBackoff < retryMinBackoff) {
                throw InvalidInputException("retry back-off must satisfy 0 <= min <= max, was $retryMinBackoff..$retryMaxBackoff")
            }
            return ForwarderOptions(this)
        }
    }

    /** Defaults and the builder. */
    public companion object {
        /** Every option at its default. */
        @JvmField
        public val DEFAULT: ForwarderOptions = Builder().build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
