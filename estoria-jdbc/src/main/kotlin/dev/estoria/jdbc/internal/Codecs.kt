package dev.estoria.jdbc.internal

import java.time.Instant
import java.time.temporal.ChronoUnit

/** Timestamps are stored at microsecond precision, so the appended event equals the one read back. */
internal object Micros {
    private const val PER_SECOND = 1_000_000L

    fun truncate(instant: Instant): Instant = instant.truncatedTo(ChronoUnit.MICROS)

    fun toMicros(instant: Instant): Long = Math.addExact(Math.multiplyExact(instant.epochSecond, PER_SECOND), instant.nano / 1000L)

    fun fromMicros(micros: Long): Instant =
        Instant.ofEpochSecond(Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1000L)
}
