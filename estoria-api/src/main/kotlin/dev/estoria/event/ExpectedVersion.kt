package dev.estoria.event

import dev.estoria.error.InvalidInputException

/**
 * The optimistic-concurrency condition of an append. A mismatch throws
 * [dev.estoria.error.StreamVersionConflictException] and writes nothing.
 */
public sealed class ExpectedVersion {
    /** Whether a stream currently at [currentVersion] (0 = no events) satisfies this condition; [exists] tells whether it exists. */
    public abstract fun matches(currentVersion: Long, exists: Boolean): Boolean

    /** No condition. */
    public object Any : ExpectedVersion() {
        override fun matches(currentVersion: Long, exists: Boolean): Boolean = true
        override fun toString(): String = "Any"
    }

    /** The stream must not exist. */
    public object NoStream : ExpectedVersion() {
        override fun matches(currentVersion: Long, exists: Boolean): Boolean = !exists
        override fun toString(): String = "NoStream"
    }

    /** The stream must exist. */
    public object StreamExists : ExpectedVersion() {
        override fun matches(currentVersion: Long, exists: Boolean): Boolean = exists
        override fun toString(): String = "StreamExists"
    }

    /** The stream must be at exactly [version]; `Exact(0)` means "no events yet" (existing or not). */
    public class Exact(public val version: Long) : ExpectedVersion() {
        init {
            if (version < 0) throw InvalidInputException("expected version must be >= 0, was $version")
        }

        override fun matches(currentVersion: Long, exists: Boolean): Boolean = currentVersion == version
        override fun equals(other: kotlin.Any?): Boolean = other is Exact && other.version == version
        override fun hashCode(): Int = version.hashCode()
        override fun toString(): String = "Exact($version)"
    }

    /** Java-friendly factories. */
    public companion object {
        /** [Any]. */
        @JvmStatic public fun any(): ExpectedVersion = Any

        /** [NoStream]. */
        @JvmStatic public fun noStream(): ExpectedVersion = NoStream

        /** [StreamExists]. */
        @JvmStatic public fun streamExists(): ExpectedVersion = StreamExists

        /** [Exact] at [version]. */
        @JvmStatic public fun exact(version: Long): ExpectedVersion = Exact(version)
    }
}
