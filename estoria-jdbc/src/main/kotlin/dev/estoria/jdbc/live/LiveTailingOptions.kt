package dev.estoria.jdbc.live

import dev.estoria.error.InvalidInputException
import java.time.Duration

/**
 * Timings of PostgreSQL live tailing; every option has a default. Build with [builder].
 *
 * @property heartbeat the longest the listener waits for a notification before it checks its connection
 *   with a `SELECT 1` (a dead connection is seen within this). Default 10 s.
 * @property reconnectMinBackoff the first wait before reconnecting after the connection was lost (listener)
 *   or a notify failed (notifier); doubled on each failure in a row. Default 100 ms.
 * @property reconnectMaxBackoff the longest such wait. Default 5 s.
 * @property coalesceWindow the notifier sends at most one `NOTIFY` per window: appends returning inside it
 *   share the next one. Default 5 ms.
 */
public class LiveTailingOptions private constructor(builder: Builder) {
    public val heartbeat: Duration = builder.heartbeat
    public val reconnectMinBackoff: Duration = builder.reconnectMinBackoff
    public val reconnectMaxBackoff: Duration = builder.reconnectMaxBackoff
    public val coalesceWindow: Duration = builder.coalesceWindow

    override fun toString(): String =
        "LiveTailingOptions(heartbeat=$heartbeat, reconnect=$reconnectMinBackoff..$reconnectMaxBackoff, coalesceWindow=$coalesceWindow)"

    /** Builds [LiveTailingOptions]. */
    public class Builder internal constructor() {
        internal var heartbeat: Duration = Duration.ofSeconds(10)
        internal var reconnectMinBackoff: Duration = Duration.ofMillis(100)
        internal var reconnectMaxBackoff: Duration = Duration.ofSeconds(5)
        internal var coalesceWindow: Duration = Duration.ofMillis(5)

        /** Sets [LiveTailingOptions.heartbeat] (at least 1 ms). */
        public fun heartbeat(interval: Duration): Builder = apply { heartbeat = interval }

        /** Sets the reconnect back-off, from [min] doubling up to [max]. */
        public fun reconnectBackoff(min: Duration, max: Duration): Builder = apply {
            reconnectMinBackoff = min
            reconnectMaxBackoff = max
        }

        /** Sets [LiveTailingOptions.coalesceWindow] (zero: notify after every signal, one at a time). */
        public fun coalesceWindow(window: Duration): Builder = apply { coalesceWindow = window }

        /**
         * Builds the options.
         *
         * @throws InvalidInputException when a duration is out of range.
         */
        public fun build(): LiveTailingOptions {
            if (heartbeat.toMillis() < 1) throw InvalidInputException("heartbeat must be at least 1 ms, was $heartbeat")
            if (reconnectMinBackoff.isNegative || reconnectMinBackoff.isZero || reconnectMaxBackoff < reconnectMinBackoff) {
                throw InvalidInputException("reconnect back-off must satisfy 0 < min <= max, was $reconnectMinBackoff..$reconnectMaxBackoff")
            }
            if (coalesceWindow.isNegative) throw InvalidInputException("coalesceWindow must not be negative, was $coalesceWindow")
            return LiveTailingOptions(this)
        }
    }

    /** Defaults and the builder. */
    public companion object {
        /** Every option at its default. */
        @JvmField
        public val DEFAULT: LiveTailingOptions = Builder().build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
