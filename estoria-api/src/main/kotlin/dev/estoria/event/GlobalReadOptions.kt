package dev.estoria.event

import dev.estoria.error.InvalidInputException

/**
 * Options of a global read (`GlobalReader.readAll`), checked when they are built, so every store refuses the
 * same nonsense the same way before reading anything.
 *
 * - [afterPosition]: events with a position strictly greater are returned, >= 0. Default 0: from the start.
 * - [maxCount]: the most events returned, >= 1. Default `null`: no limit.
 *
 * @throws InvalidInputException when [afterPosition] < 0 or [maxCount] < 1.
 */
public class GlobalReadOptions @JvmOverloads constructor(
    public val afterPosition: Long = 0,
    public val maxCount: Int? = null,
) {
    init {
        if (afterPosition < 0) throw InvalidInputException("afterPosition must be >= 0, was $afterPosition")
        if (maxCount != null && maxCount < 1) throw InvalidInputException("maxCount must be >= 1, was $maxCount")
    }

    override fun equals(other: Any?): Boolean =
        other is GlobalReadOptions && other.afterPosition == afterPosition && other.maxCount == maxCount

    override fun hashCode(): Int = afterPosition.hashCode() * 31 + (maxCount ?: 0)

    override fun toString(): String = "GlobalReadOptions(afterPosition=$afterPosition, maxCount=$maxCount)"

    /** Presets. */
    public companion object {
        /** Every event, from the start of the log. */
        @JvmField public val ALL: GlobalReadOptions = GlobalReadOptions()
    }
}
