package dev.estoria.event

import dev.estoria.error.InvalidInputException

/**
 * Options of a stream read.
 *
 * - [fromVersion]: the first version returned (inclusive), >= 1. Default `null`: the first event
 *   reading forward, the last event reading backward.
 * - [direction]: default [ReadDirection.FORWARD].
 * - [maxCount]: the most events returned, >= 1. Default `null`: no limit.
 */
public class ReadOptions @JvmOverloads constructor(
    public val fromVersion: Long? = null,
    public val direction: ReadDirection = ReadDirection.FORWARD,
    public val maxCount: Int? = null,
) {
    init {
        if (fromVersion != null && fromVersion < 1) throw InvalidInputException("fromVersion must be >= 1, was $fromVersion")
        if (maxCount != null && maxCount < 1) throw InvalidInputException("maxCount must be >= 1, was $maxCount")
    }

    /** Whether [version] is within these options' range (ignoring [maxCount]). */
    public fun includes(version: Long): Boolean {
        val from = fromVersion ?: return true
        return if (direction == ReadDirection.FORWARD) version >= from else version <= from
    }

    override fun equals(other: Any?): Boolean =
        other is ReadOptions && other.fromVersion == fromVersion && other.direction == direction && other.maxCount == maxCount

    override fun hashCode(): Int = (fromVersion?.hashCode() ?: 0) * 31 + direction.hashCode() * 7 + (maxCount ?: 0)

    override fun toString(): String = "ReadOptions(fromVersion=$fromVersion, direction=$direction, maxCount=$maxCount)"

    /** Presets. */
    public companion object {
        /** All events, forward. */
        @JvmField public val FORWARD: ReadOptions = ReadOptions()

        /** All events, backward. */
        @JvmField public val BACKWARD: ReadOptions = ReadOptions(direction = ReadDirection.BACKWARD)
    }
}
