package dev.estoria.aggregate

/** An event payload encoded by its registered codec: the stored [type] name, [data] and [contentType]. */
public class EncodedEvent(public val type: String, data: ByteArray, public val contentType: String) {
    private val bytes = data.copyOf()

    /** A copy of the payload. */
    public val data: ByteArray get() = bytes.copyOf()
}
