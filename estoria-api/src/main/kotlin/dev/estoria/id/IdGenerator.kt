package dev.estoria.id

import java.time.Clock

/**
 * Source of new UUIDs, injected wherever ids are created so that tests can control them.
 * Default: [uuidV7] on the system clock.
 */
public fun interface IdGenerator {
    /** Returns a new UUID, distinct from every UUID this generator returned before. */
    public fun newUuid(): java.util.UUID

    /** Factories. */
    public companion object {
        private val DEFAULT: IdGenerator = UuidV7Generator(Clock.systemUTC())

        /** Time-ordered UUIDv7 (RFC 9562), monotonic within one generator. Default clock: UTC system clock. */
        @JvmStatic
        @JvmOverloads
        public fun uuidV7(clock: Clock = Clock.systemUTC()): IdGenerator =
            if (clock == Clock.systemUTC()) DEFAULT else UuidV7Generator(clock)
    }
}
