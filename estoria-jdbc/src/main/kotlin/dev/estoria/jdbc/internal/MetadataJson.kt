package dev.estoria.jdbc.internal

import kotlinx.serialization.builtins.MapSerializer
import kotlinx.serialization.builtins.serializer
import kotlinx.serialization.json.Json

/**
 * Metadata is stored as a JSON object of strings; the empty map is `{}`.
 *
 * Every event read decodes its metadata, and kotlinx.serialization's general decoder was half of the
 * client's time per row on reads of small streams (JFR, estoria-bench `read-many-8`). The common text, a flat
 * object of plain strings as [encode] writes it, is therefore read by a direct scan; any other text (an
 * escape, whitespace, a non-string value, anything malformed) goes to kotlinx.serialization, which decides it
 * as before, so both paths accept exactly the same texts and return the same maps. Encoding is the mirror:
 * strings without a character JSON must escape are written directly, others by kotlinx.serialization.
 */
internal object MetadataJson {
    private val serializer = MapSerializer(String.serializer(), String.serializer())
    private const val EMPTY = "{}"

    fun encode(metadata: Map<String, String>): String {
        if (metadata.isEmpty()) return EMPTY
        var length = 2
        for ((key, value) in metadata) {
            if (needsEscape(key) || needsEscape(value)) return Json.encodeToString(serializer, metadata)
            length += key.length + value.length + 6
        }
        val out = StringBuilder(length).append('{')
        for ((key, value) in metadata) {
            if (out.length > 1) out.append(',')
            out.append('"').append(key).append("\":\"").append(value).append('"')
        }
        return out.append('}').toString()
    }

    fun decode(text: String): Map<String, String> {
        if (text == EMPTY) return emptyMap()
        return plain(text) ?: Json.decodeFromString(serializer, text)
    }

    /** Characters a JSON string cannot hold as they are: the quote, the backslash and control characters. */
    private fun needsEscape(s: String): Boolean {
        for (c in s) if (c == '"' || c == '\\' || c < ' ') return true
        return false
    }

    /**
     * [text] as a map when it is exactly `{"k":"v",…}` (one or more pairs, no whitespace, no backslash, no
     * control character); `null` for any other text, valid or not.
     */
    private fun plain(text: String): Map<String, String>? {
        val n = text.length
        if (n < 7 || text[0] != '{' || text[n - 1] != '}') return null
        val out = LinkedHashMap<String, String>()
        var i = 1
        while (true) {
            val keyEnd = stringEnd(text, i) ?: return null
            if (keyEnd + 1 >= n || text[keyEnd + 1] != ':') return null
            val valueEnd = stringEnd(text, keyEnd + 2) ?: return null
            out[text.substring(i + 1, keyEnd)] = text.substring(keyEnd + 3, valueEnd)
            i = valueEnd + 1
            when {
                i == n - 1 -> return out
                text[i] == ',' -> i++
                else -> return null
            }
        }
    }

    /** The index of the closing quote of the plain string that opens at [start], or `null`. */
    private fun stringEnd(text: String, start: Int): Int? {
        if (start >= text.length || text[start] != '"') return null
        var i = start + 1
        while (i < text.length) {
            val c = text[i]
            if (c == '"') return i
            if (c == '\\' || c < ' ') return null
            i++
        }
        return null
    }
}
