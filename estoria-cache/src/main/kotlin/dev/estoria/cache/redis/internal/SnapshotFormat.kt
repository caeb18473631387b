package dev.estoria.cache.redis.internal

import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import java.nio.ByteBuffer
import java.time.Instant

/**
 * One snapshot as a sorted-set member: version (8 bytes, so members of different versions never
 * collide), timestamp seconds (8) and nanos (4), content type length (4) and UTF-8 bytes, then the data.
 */
internal object SnapshotFormat {
    private const val HEADER = 8 + 8 + 4 + 4

    fun encode(snapshot: Snapshot): ByteArray {
        val ct = snapshot.contentType.toByteArray(Charsets.UTF_8)
        val data = snapshot.data
        return ByteBuffer.allocate(HEADER + ct.size + data.size)
            .putLong(snapshot.version)
            .putLong(snapshot.timestamp.epochSecond)
            .putInt(snapshot.timestamp.nano)
            .putInt(ct.size)
            .put(ct)
            .put(data)
            .array()
    }

    /** The snapshot of [id] in [bytes], or `null` when they are not in this format. */
    fun decode(id: TypeId, bytes: ByteArray): Snapshot? {
        if (bytes.size < HEADER) return null
        val buffer = ByteBuffer.wrap(bytes)
        val version = buffer.getLong()
        val seconds = buffer.getLong()
        val nanos = buffer.getInt()
        val ctLength = buffer.getInt()
        if (version < 1 || nanos !in 0..999_999_999 || ctLength < 0 || ctLength > buffer.remaining()) return null
        val ct = ByteArray(ctLength).also { buffer.get(it) }
        val data = ByteArray(buffer.remaining()).also { buffer.get(it) }
        return Snapshot(id, version, data, String(ct, Charsets.UTF_8), Instant.ofEpochSecond(seconds, nanos.toLong()))
    }
}
