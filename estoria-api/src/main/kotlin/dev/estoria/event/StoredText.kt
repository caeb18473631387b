package dev.estoria.event

import dev.estoria.error.InvalidInputException

/**
 * The rule for every text a store keeps as text (metadata keys and values, content types, snapshot
 * content types, checkpoint names): it must round-trip exactly on every backend, so two characters are
 * refused everywhere with [InvalidInputException] before anything is written:
 *
 * - a lone UTF-16 surrogate (half of a character outside the BMP, e.g. a header cut in the middle of an
 *   emoji): UTF-8 cannot encode it, so the drivers silently store `?` and the text read back differs from
 *   the text written (idempotent retries then fail, two checkpoint names share one row);
 * - U+0000 (NUL): PostgreSQL `TEXT` refuses it while SQLite and memory keep it.
 *
 * Every other character, surrogate pairs included, round-trips. Event payloads are bytes and are not
 * checked. TCK: the "lone surrogate or NUL" clauses of `EventStoreSuite`, `SnapshotStoreSuite` and
 * `CheckpointStoreSuite`.
 */
public object StoredText {
    /** The index of the first character of [text] that cannot be stored, or -1 when every one can. */
    @JvmStatic
    public fun firstUnstorable(text: String): Int {
        var i = 0
        val n = text.length
        while (i < n) {
            val c = text[i]
            if (c == '\u0000') return i
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(text[i + 1])) return i
                i += 2
                continue
            }
            if (Character.isLowSurrogate(c)) return i
            i++
        }
        return -1
    }

    /**
     * Returns [text] when every character can be stored.
     *
     * @param what names the field in the error message, e.g. `content type`.
     * @throws InvalidInputException naming [what] and the index of the offending character.
     */
    @JvmStatic
    public fun requireStorable(what: String, text: String): String {
        val at = firstUnstorable(text)
        if (at >= 0) {
            val problem = if (text[at] == '\u0000') "a NUL character (U+0000)" else "a lone UTF-16 surrogate (U+%04X)".format(text[at].code)
            throw InvalidInputException("$what holds $problem at index $at: it cannot be stored and read back exactly on every backend")
        }
        return text
    }

    /**
     * The number of bytes [text] takes in UTF-8, counted without encoding it (a storable text: a lone
     * surrogate would count as the one byte `?` the encoders write).
     */
    @JvmStatic
    public fun utf8Length(text: String): Long {
        var bytes = 0L
        var i = 0
        val n = text.length
        while (i < n) {
            val c = text[i]
            when {
                c.code < 0x80 -> bytes += 1
                c.code < 0x800 -> bytes += 2
                Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text[i + 1]) -> {
                    bytes += 4
                    i++
                }
                Character.isSurrogate(c) -> bytes += 1
                else -> bytes += 3
            }
            i++
        }
        return bytes
    }
}
