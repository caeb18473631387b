package dev.estoria.projection.internal

import java.security.MessageDigest
import java.util.zip.CRC32

/** The stable stream-to-partition hash and the lease names of a partitioned projection's instances. */
internal object Partitioning {
    /** `crc32(utf8(text)) mod partitions` (CRC-32/ISO-HDLC, unsigned). */
    fun partitionOf(text: String, partitions: Int): Int {
        if (partitions == 1) return 0
        val crc = CRC32()
        crc.update(text.encodeToByteArray())
        return (crc.value % partitions).toInt()
    }

    /** The prefix of every partition and member lease of the projection [checkpointName]. */
    fun prefix(checkpointName: String): String = "$checkpointName#"

    /** The prefix of the member leases: one per running instance, so that instances holding no partition count. */
    fun memberPrefix(checkpointName: String): String = "${prefix(checkpointName)}members/"

    /** The member lease of [owner]: a fixed-length digest of it, so that any owner name fits. */
    fun memberName(checkpointName: String, owner: String): String {
        val digest = MessageDigest.getInstance("SHA-256").digest(owner.encodeToByteArray())
        return memberPrefix(checkpointName) + digest.take(8).joinToString("") { "%02x".format(it) }
    }
}
