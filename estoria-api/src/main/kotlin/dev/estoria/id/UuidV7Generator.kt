package dev.estoria.id

import java.security.SecureRandom
import java.time.Clock
import java.util.UUID
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then a 12-bit counter seeded at random each
 * millisecond (method 1, "fixed-length dedicated counter"), then 62 random bits. Ids from one
 * generator strictly increase even within a millisecond or when the clock steps back.
 */
internal class UuidV7Generator(private val clock: Clock) : IdGenerator {
    private val random = SecureRandom()
    private val lock = ReentrantLock()
    private var lastMillis = -1L
    private var counter = 0

    override fun newUuid(): UUID {
        val (millis, seq) = lock.withLock {
            val now = clock.millis()
            if (now > lastMillis) {
                lastMillis = now
                counter = random.nextInt(COUNTER_SEED_BOUND)
            } else {
                counter++
                if (counter > COUNTER_MAX) {
                    lastMillis++
                    counter = 0
                }
            }
            lastMillis to counter
        }
        val msb = (millis shl 16) or (0x7L shl 12) or seq.toLong()
        val lsb = (random.nextLong() and 0x3FFFFFFFFFFFFFFFL) or Long.MIN_VALUE
        return UUID(msb, lsb)
    }

    private companion object {
        const val COUNTER_MAX = 0xFFF
        const val COUNTER_SEED_BOUND = 0x800
    }
}
