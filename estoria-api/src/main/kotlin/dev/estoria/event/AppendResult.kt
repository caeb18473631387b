package dev.estoria.event

/**
 * What an append stored: [events] exactly as a later read returns them, and [nextExpectedVersion],
 * the stream's version after the append (pass it as `ExpectedVersion.Exact` to the next append).
 */
public class AppendResult(events: List<Event>, public val nextExpectedVersion: Long) {
    /** The stored events, in version order. */
    public val events: List<Event> = events.toList()

    /** The global position of the last event, when the store assigns positions. */
    public val lastGlobalPosition: Long? get() = events.lastOrNull()?.globalPosition

    override fun equals(other: Any?): Boolean =
        other is AppendResult && other.events == events && other.nextExpectedVersion == nextExpectedVersion

    override fun hashCode(): Int = events.hashCode() * 31 + nextExpectedVersion.hashCode()

    override fun toString(): String = "AppendResult(nextExpectedVersion=$nextExpectedVersion, events=$events)"
}
