package dev.estoria.cache.redis.internal

import java.nio.charset.StandardCharsets.US_ASCII
import java.nio.charset.StandardCharsets.UTF_8

/**
 * The bytes of one cached state: `e1:<version>:<content type length>:<content type><state bytes>`,
 * with decimal ASCII numbers. The leading `e1:<version>:` is what the put script reads to compare
 * versions, without decoding the state.
 */
internal object CacheEntryFormat {
    private const val MAGIC = "e1:"

    class Entry(val version: Long, val contentType: String, val data: ByteArray)

    fun encode(version: Long, contentType: String, data: ByteArray): ByteArray {
        val ct = contentType.toByteArray(UTF_8)
        val header = "$MAGIC$version:${ct.size}:".toByteArray(US_ASCII)
        val out = ByteArray(header.size + ct.size + data.size)
        System.arraycopy(header, 0, out, 0, header.size)
        System.arraycopy(ct, 0, out, header.size, ct.size)
        System.arraycopy(data, 0, out, header.size + ct.size, data.size)
        return out
    }

    /** The entry in [bytes], or `null` when they are not in this format. */
    fun decode(bytes: ByteArray): Entry? {
        if (bytes.size < MAGIC.length || bytes[0] != 'e'.code.toByte() || bytes[1] != '1'.code.toByte() || bytes[2] != ':'.code.toByte()) return null
        var i = MAGIC.length
        var version = 0L
        val versionStart = i
        while (i < bytes.size && bytes[i] in DIGITS) {
            if (i - versionStart >= 19) return null
            version = version * 10 + (bytes[i] - ZERO)
            i++
        }
        if (i == versionStart || i >= bytes.size || bytes[i] != COLON) return null
        i++
        var ctLength = 0
        val ctStart = i
        while (i < bytes.size && bytes[i] in DIGITS) {
            if (i - ctStart >= 9) return null
            ctLength = ctLength * 10 + (bytes[i] - ZERO)
            i++
        }
        if (i == ctStart || i >= bytes.size || bytes[i] != COLON) return null
        i++
        if (bytes.size - i < ctLength) return null
        val contentType = String(bytes, i, ctLength, UTF_8)
        i += ctLength
        return Entry(version, contentType, bytes.copyOfRange(i, bytes.size))
    }

    private val ZERO = '0'.code.toByte()
    private val COLON = ':'.code.toByte()
    private val DIGITS = '0'.code.toByte()..'9'.code.toByte()
}
