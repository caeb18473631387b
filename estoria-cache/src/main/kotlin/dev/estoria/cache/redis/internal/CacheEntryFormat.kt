package dev.estoria.cache.redis.internal

import java.nio.charset.StandardCharsets.US_ASCII
import java.nio.charset.StandardCharsets.UTF_8

/**
 * The bytes of one cached state:
 * `e2:<version>:<last event id length>:<last event id><content type length>:<content type><state bytes>`,
 * with decimal ASCII numbers (an empty id: unknown). Entries of the previous format
 * `e1:<version>:<content type length>:<content type><state bytes>` still decode, without a last event
 * id. The leading `e<n>:<version>:` is what the put script reads to compare versions, without decoding
 * the state. A version outside 1..Long.MAX_VALUE (0, a leading zero, 19 digits above the maximum, more
 * digits) is not an entry of this format: a miss, which the next put overwrites.
 */
internal object CacheEntryFormat {
    class Entry(val version: Long, val lastEventId: String?, val contentType: String, val data: ByteArray)

    fun encode(version: Long, lastEventId: String?, contentType: String, data: ByteArray): ByteArray {
        val id = (lastEventId ?: "").toByteArray(UTF_8)
        val ct = contentType.toByteArray(UTF_8)
        val out = java.io.ByteArrayOutputStream(24 + id.size + ct.size + data.size)
        out.write("e2:$version:${id.size}:".toByteArray(US_ASCII))
        out.write(id)
        out.write("${ct.size}:".toByteArray(US_ASCII))
        out.write(ct)
        out.write(data)
        return out.toByteArray()
    }

    /** The entry in [bytes], or `null` when they are not in this format. */
    fun decode(bytes: ByteArray): Entry? {
        if (bytes.size < 3 || bytes[0] != 'e'.code.toByte() || bytes[2] != COLON) return null
        val format = bytes[1]
        if (format != '1'.code.toByte() && format != '2'.code.toByte()) return null
        val reader = Reader(bytes, 3)
        val version = reader.number(19) ?: return null
        if (version < 1) return null
        var lastEventId: String? = null
        if (format == '2'.code.toByte()) {
            val idLength = reader.number(9) ?: return null
            val id = reader.text(idLength.toInt()) ?: return null
            lastEventId = id.ifEmpty { null }
        }
        val ctLength = reader.number(9) ?: return null
        val contentType = reader.text(ctLength.toInt()) ?: return null
        return Entry(version, lastEventId, contentType, bytes.copyOfRange(reader.at, bytes.size))
    }

    private class Reader(private val bytes: ByteArray, var at: Int) {
        /** A decimal of at most [maxDigits] digits without a leading zero (but "0"), ending in ':'; `null` if none or overflowing. */
        fun number(maxDigits: Int): Long? {
            val start = at
            var value = 0L
            while (at < bytes.size && bytes[at] in DIGITS) {
                if (at - start >= maxDigits) return null
                val digit = bytes[at] - ZERO
                if (value > (Long.MAX_VALUE - digit) / 10) return null
                value = value * 10 + digit
                at++
            }
            val digits = at - start
            if (digits == 0 || (digits > 1 && bytes[start] == ZERO) || at >= bytes.size || bytes[at] != COLON) return null
            at++
            return value
        }

        fun text(length: Int): String? {
            if (bytes.size - at < length) return null
            return String(bytes, at, length, UTF_8).also { at += length }
        }
    }

    private val ZERO = '0'.code.toByte()
    private val COLON = ':'.code.toByte()
    private val DIGITS = '0'.code.toByte()..'9'.code.toByte()
}
