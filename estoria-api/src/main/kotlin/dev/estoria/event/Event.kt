package dev.estoria.event

import dev.estoria.id.TypeId
import java.time.Instant

/**
 * A stored event, exactly as the store returns it from both append and read.
 *
 * - [streamVersion] starts at 1 and has no gaps within a stream.
 * - [globalPosition] orders events across all streams of a store that implements
 *   [dev.estoria.eventstore.GlobalReader]; `null` in stores without a global order.
 * - [type] is the event type, equal to `id.type`.
 * - [data] and [contentType] round-trip exactly (an empty content type stays empty);
 *   [data] is copied in and out, so neither side can mutate the other's bytes.
 *
 * Two events are equal when every field is equal (data by content).
 *
 * @property id the event id, as given on append; its type is the event type.
 * @property streamId the stream the event belongs to.
 * @property timestamp when the store appended the event.
 */
public class Event(
    public val id: TypeId,
    public val streamId: TypeId,
    public val streamVersion: Long,
    public val globalPosition: Long?,
    public val timestamp: Instant,
    data: ByteArray,
    public val contentType: String,
    metadata: Map<String, String>,
) {
    private val bytes: ByteArray = data.copyOf()

    /** The event type name (`id.type`). */
    public val type: String get() = id.type

    /** A copy of the payload bytes. */
    public val data: ByteArray get() = bytes.copyOf()

    /** The payload size in bytes, without copying. */
    public val size: Int get() = bytes.size

    /** Metadata, an immutable copy. Keys starting with `estoria.` are reserved for the library. */
    public val metadata: Map<String, String> = metadata.toMap()

    /** Whether the payload equals [other] byte for byte, without copying. */
    public fun dataEquals(other: ByteArray): Boolean = bytes.contentEquals(other)

    /** Returns a copy of this event with [globalPosition] set, for stores that assign it after the fact. */
    public fun withGlobalPosition(position: Long?): Event =
        Event(id, streamId, streamVersion, position, timestamp, bytes, contentType, metadata)

    override fun equals(other: Any?): Boolean =
        other is Event && other.id == id && other.streamId == streamId && other.streamVersion == streamVersion &&
            other.globalPosition == globalPosition && other.timestamp == timestamp &&
            other.contentType == contentType && other.metadata == metadata && other.bytes.contentEquals(bytes)

    override fun hashCode(): Int = id.hashCode() * 31 + streamVersion.hashCode()

    override fun toString(): String =
        "Event(id=$id, stream=$streamId@$streamVersion, position=$globalPosition, timestamp=$timestamp, " +
            "contentType='$contentType', ${bytes.size} bytes, metadata=$metadata)"
}
