package dev.estoria.cache.redis.internal

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import java.nio.ByteBuffer
import java.time.Instant

/**
 * One snapshot as a sorted-set member: the marker `S2`, version (8 bytes, so members of different
 * versions never collide), timestamp seconds (8) and nanos (4), last event id length (4, 0: unknown)
 * and UTF-8 bytes, content type length (4) and UTF-8 bytes, then the data.
 *
 * Members of the first format (no marker, no last event id: it starts with the version, whose first
 * byte is 0 for every version the store accepts) still decode, without a last event id.
 */
internal object SnapshotFormat {
    private const val MARKER_0: Byte = 'S'.code.toByte()
    private const val MARKER_1: Byte = '2'.code.toByte()
    private const val V1_HEADER = 8 + 8 + 4 + 4

    fun encode(snapshot: Snapshot): ByteArray {
        val id = snapshot.lastEventId?.toString()?.toByteArray(Charsets.UTF_8) ?: ByteArray(0)
        val ct = snapshot.contentType.toByteArray(Charsets.UTF_8)
        val data = snapshot.data
        return ByteBuffer.allocate(2 + 8 + 8 + 4 + 4 + id.size + 4 + ct.size + data.size)
            .put(MARKER_0).put(MARKER_1)
            .putLong(snapshot.version)
            .putLong(snapshot.timestamp.epochSecond)
            .putInt(snapshot.timestamp.nano)
            .putInt(id.size).put(id)
            .putInt(ct.size).put(ct)
            .put(data)
            .array()
    }

    /** The snapshot of [aggregateId] in [bytes], or `null` when they are not in this format. */
    fun decode(aggregateId: TypeId, bytes: ByteArray): Snapshot? {
        val marked = bytes.size >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1
        val buffer = ByteBuffer.wrap(bytes, if (marked) 2 else 0, bytes.size - if (marked) 2 else 0)
        if (buffer.remaining() < V1_HEADER) return null
        val version = buffer.getLong()
        val seconds = buffer.getLong()
        val nanos = buffer.getInt()
        if (version < 1 || nanos !in 0..999_999_999) return null
        val lastEventId = if (marked) (text(buffer) ?: return null) else ""
        val contentType = text(buffer) ?: return null
        val data = ByteArray(buffer.remaining()).also { buffer.get(it) }
        val id = try {
            if (lastEventId.isEmpty()) null else TypeId.parse(lastEventId)
        } catch (e: InvalidInputException) {
            return null
        }
        return Snapshot(aggregateId, version, data, contentType, Instant.ofEpochSecond(seconds, nanos.toLong()), id)
    }

    private fun text(buffer: ByteBuffer): String? {
        if (buffer.remaining() < 4) return null
        val length = buffer.getInt()
        if (length < 0 || length > buffer.remaining()) return null
        return ByteArray(length).also { buffer.get(it) }.toString(Charsets.UTF_8)
    }
}
