package dev.estoria.codec

/**
 * Turns values of [T] into bytes and back, labelled with a [contentType]. One abstraction serves
 * event payloads and snapshot/cached state. Default: kotlinx-serialization JSON ([jsonCodec]);
 * binary codecs (CBOR, protobuf, …) plug in the same way.
 *
 * Implementations may throw anything; Estoria wraps failures in [dev.estoria.error.CodecException].
 */
public interface Codec<T> {
    /** The content type stored beside the bytes, e.g. `application/json`. */
    public val contentType: String

    /** Encodes [value]. */
    public fun encode(value: T): ByteArray

    /** Decodes [data]. */
    public fun decode(data: ByteArray): T
}
