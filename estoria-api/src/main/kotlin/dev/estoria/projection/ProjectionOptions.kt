package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import java.time.Clock
import java.time.Duration
import java.util.UUID

/**
 * How a [ProjectionProcessor] runs; every option has a default. Build with [ProjectionOptions.builder].
 *
 * @property batchSize events read, applied and checkpointed together. Default 256.
 * @property idleMinBackoff the first wait after an empty read; doubled while idle. Default 10 ms.
 * @property idleMaxBackoff the longest wait between polls while idle. Default 1 s.
 * @property leases the lease store keeping one active instance; `null` (default): no lease, the caller
 *   guarantees a single instance.
 * @property leaseDuration how long a lease lasts without renewal, on the lease store's clock: the failover
 *   time after an instance dies is at most this plus [acquireInterval]. Default 15 s.
 * @property renewInterval how often the owner renews, well before expiry. Default a third of [leaseDuration].
 * @property acquireInterval how often a standby instance tries to acquire. Default a fifth of [leaseDuration].
 * @property owner this instance's name in the lease store. Default a random UUID.
 * @property committer how batches are committed; `null` (default): handlers, then the checkpoint (at least once).
 * @property wakeUp an in-process signal that ends an idle wait at once. Default none.
 * @property listener what the processor reports to. Default [ProjectionListener.NONE].
 * @property clock the clock for lag in time. Default UTC system clock.
 */
public class ProjectionOptions private constructor(builder: Builder) {
    public val batchSize: Int = builder.batchSize
    public val idleMinBackoff: Duration = builder.idleMinBackoff
    public val idleMaxBackoff: Duration = builder.idleMaxBackoff
    public val leases: LeaseStore? = builder.leases
    public val leaseDuration: Duration = builder.leaseDuration
    public val renewInterval: Duration = builder.renewInterval ?: builder.leaseDuration.dividedBy(3)
    public val acquireInterval: Duration = builder.acquireInterval ?: builder.leaseDuration.dividedBy(5)
    public val owner: String = builder.owner
    public val committer: BatchCommitter? = builder.committer
    public val wakeUp: AppendSignal? = builder.wakeUp
    public val listener: ProjectionListener = builder.listener
    public val clock: Clock = builder.clock

    /** A builder starting from these options. */
    public fun toBuilder(): Builder = Builder(this)

    override fun toString(): String =
        "ProjectionOptions(batchSize=$batchSize, idle=$idleMinBackoff..$idleMaxBackoff, leases=$leases, leaseDuration=$leaseDuration, owner=$owner)"

    /** Builds [ProjectionOptions]. */
    public class Builder internal constructor(from: ProjectionOptions?) {
        internal var batchSize: Int = from?.batchSize ?: 256
        internal var idleMinBackoff: Duration = from?.idleMinBackoff ?: Duration.ofMillis(10)
        internal var idleMaxBackoff: Duration = from?.idleMaxBackoff ?: Duration.ofSeconds(1)
        internal var leases: LeaseStore? = from?.leases
        internal var leaseDuration: Duration = from?.leaseDuration ?: Duration.ofSeconds(15)
        internal var renewInterval: Duration? = from?.renewInterval
        internal var acquireInterval: Duration? = from?.acquireInterval
        internal var owner: String = from?.owner ?: UUID.randomUUID().toString()
        internal var committer: BatchCommitter? = from?.committer
        internal var wakeUp: AppendSignal? = from?.wakeUp
        internal var listener: ProjectionListener = from?.listener ?: ProjectionListener.NONE
        internal var clock: Clock = from?.clock ?: Clock.systemUTC()

        /** Sets [ProjectionOptions.batchSize] (>= 1). */
        public fun batchSize(events: Int): Builder = apply { batchSize = events }

        /** Sets the idle polling back-off, from [min] doubling up to [max]. */
        public fun idleBackoff(min: Duration, max: Duration): Builder = apply {
            idleMinBackoff = min
            idleMaxBackoff = max
        }

        /** Sets the lease store and the lease duration. */
        @JvmOverloads
        public fun leases(store: LeaseStore?, duration: Duration = leaseDuration): Builder = apply {
            leases = store
            leaseDuration = duration
        }

        /** Sets how often the owner renews its lease (must be below the lease duration). */
        public fun renewInterval(interval: Duration): Builder = apply { renewInterval = interval }

        /** Sets how often a standby instance tries to acquire the lease. */
        public fun acquireInterval(interval: Duration): Builder = apply { acquireInterval = interval }

        /** Sets this instance's owner name. */
        public fun owner(name: String): Builder = apply { owner = name }

        /** Sets the batch committer (a same-transaction one from a JDBC module). */
        public fun committer(committer: BatchCommitter?): Builder = apply { this.committer = committer }

        /** Sets the in-process wake-up signal. */
        public fun wakeUp(signal: AppendSignal?): Builder = apply { wakeUp = signal }

        /** Sets the listener. */
        public fun listener(listener: ProjectionListener): Builder = apply { this.listener = listener }

        /** Sets the clock used for lag in time. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /**
         * Builds the options.
         *
         * @throws InvalidInputException when a size or duration is out of range.
         */
        public fun build(): ProjectionOptions {
            if (batchSize < 1) throw InvalidInputException("batchSize must be >= 1, was $batchSize")
            if (idleMinBackoff.isNegative || idleMinBackoff.isZero || idleMaxBackoff < idleMinBackoff) {
                throw InvalidInputException("idle back-off must satisfy 0 < min <= max, was $idleMinBackoff..$idleMaxBackoff")
            }
            val options = ProjectionOptions(this)
            if (options.leaseDuration.isNegative || options.leaseDuration.isZero) throw InvalidInputException("leaseDuration must be positive")
            if (options.renewInterval.isZero || options.renewInterval.isNegative || options.renewInterval >= options.leaseDuration) {
                throw InvalidInputException("renewInterval must be positive and below leaseDuration, was ${options.renewInterval}")
            }
            if (options.acquireInterval.isZero || options.acquireInterval.isNegative) throw InvalidInputException("acquireInterval must be positive")
            LeaseArguments.validate("owner", owner, options.leaseDuration)
            return options
        }
    }

    /** Defaults and the builder. */
    public companion object {
        /** Every option at its default (no lease). */
        @JvmField
        public val DEFAULT: ProjectionOptions = Builder(null).build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder(null)
    }
}
