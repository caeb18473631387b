package dev.estoria.projection

import dev.estoria.event.Event
import dev.estoria.id.TypeId
import java.time.Instant

/**
 * Where a delivered event comes from: its stream, version, global position, metadata and timestamp,
 * plus the stored [event] itself. Handed to every projection handler beside the decoded event.
 *
 * TCK: `ProjectionSuite`, "handlers see every stream's versions in increasing order".
 *
 * @property event the stored event, raw.
 */
public class EventEnvelope(public val event: Event) {
    /** The event's id. */
    public val eventId: TypeId get() = event.id

    /** The stored event type name. */
    public val type: String get() = event.type

    /** The stream the event belongs to. */
    public val streamId: TypeId get() = event.streamId

    /** The event's version in its stream (from 1). */
    public val streamVersion: Long get() = event.streamVersion

    /** The event's global position (a processor reads only from a `GlobalReader`, so it is always set). */
    public val globalPosition: Long get() = event.globalPosition ?: 0L

    /** The event's metadata. */
    public val metadata: Map<String, String> get() = event.metadata

    /** When the store appended the event. */
    public val timestamp: Instant get() = event.timestamp

    override fun toString(): String = "EventEnvelope($streamId@$streamVersion, position=$globalPosition, type=$type)"
}
