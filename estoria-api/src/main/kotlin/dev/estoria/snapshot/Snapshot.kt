package dev.estoria.snapshot

import dev.estoria.error.InvalidInputException
import dev.estoria.event.StoredText
import dev.estoria.id.TypeId
import java.time.Instant

/**
 * The encoded state of aggregate [aggregateId] at [version] (>= 1), with the codec's [contentType].
 * [timestamp] is when it was taken. [contentType] must be storable text ([StoredText]: no lone
 * surrogate, no NUL), so it reads back exactly from every snapshot store.
 *
 * [lastEventId] is the id of the aggregate's event at [version] (default `null`: unknown, as in
 * snapshots written by releases before it existed). The snapshotting layer checks it against the
 * stream on load and discards a snapshot whose event the stream no longer holds; one without it is
 * unverifiable and discarded too (TCK: `SnapshotStoreSuite`, `AggregateLayersSuite`).
 *
 * @throws InvalidInputException when [version] < 1 or [contentType] is not storable.
 */
public class Snapshot @JvmOverloads constructor(
    public val aggregateId: TypeId,
    public val version: Long,
    data: ByteArray,
    public val contentType: String,
    public val timestamp: Instant,
    public val lastEventId: TypeId? = null,
) {
    init {
        if (version < 1) throw InvalidInputException("snapshot version must be >= 1, was $version")
        StoredText.requireStorable("snapshot content type", contentType)
    }

    private val bytes = data.copyOf()

    /** A copy of the encoded state. */
    public val data: ByteArray get() = bytes.copyOf()

    /** Whether the encoded state equals [other] byte for byte. */
    public fun dataEquals(other: ByteArray): Boolean = bytes.contentEquals(other)

    override fun equals(other: Any?): Boolean =
        other is Snapshot && other.aggregateId == aggregateId && other.version == version &&
            other.contentType == contentType && other.timestamp == timestamp && other.lastEventId == lastEventId &&
            other.bytes.contentEquals(bytes)

    override fun hashCode(): Int = aggregateId.hashCode() * 31 + version.hashCode()

    override fun toString(): String = "Snapshot($aggregateId@$version, $contentType, ${bytes.size} bytes, $timestamp, lastEvent=$lastEventId)"
}
