package dev.estoria.jdbc.internal

import kotlinx.serialization.builtins.MapSerializer
import kotlinx.serialization.builtins.serializer
import kotlinx.serialization.json.Json
import java.time.Instant
import java.time.temporal.ChronoUnit

/** Metadata is stored as a JSON object of strings; the empty map is `{}`. */
internal object MetadataJson {
    private val serializer = MapSerializer(String.serializer(), String.serializer())
    private const val EMPTY = "{}"

    fun encode(metadata: Map<String, String>): String = if (metadata.isEmpty()) EMPTY else Json.encodeToString(serializer, metadata)

    fun decode(text: String): Map<String, String> = if (text == EMPTY) emptyMap() else Json.decodeFromString(serializer, text)
}

/** Timestamps are stored at microsecond precision, so the appended event equals the one read back. */
internal object Micros {
    private const val PER_SECOND = 1_000_000L

    fun truncate(instant: Instant): Instant = instant.truncatedTo(ChronoUnit.MICROS)

    fun toMicros(instant: Instant): Long = Math.addExact(Math.multiplyExact(instant.epochSecond, PER_SECOND), instant.nano / 1000L)

    fun fromMicros(micros: Long): Instant =
        Instant.ofEpochSecond(Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1000L)
}
