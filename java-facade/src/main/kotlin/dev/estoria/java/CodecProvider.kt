package dev.estoria.java

import dev.estoria.codec.Codec

/**
 * Supplies a [Codec] for a class: how [JavaAggregates] encodes event classes and the state when no
 * codec is given explicitly. Default: [JacksonCodec.provider] when jackson-databind is on the class path.
 *
 * ```java
 * CodecProvider codecs = new CodecProvider() {
 *     public <T> Codec<T> codecFor(Class<T> type) { return new MyCborCodec<>(type); }
 * };
 * ```
 */
public interface CodecProvider {
    /** A codec for values of [type]. */
    public fun <T : Any> codecFor(type: Class<T>): Codec<T>
}
