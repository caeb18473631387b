package dev.estoria.codec

import dev.estoria.error.CodecException
import kotlinx.coroutines.CancellationException

/** Encodes [value], wrapping any failure in a [CodecException] that names [typeName]. */
public fun <T> Codec<T>.encodeAs(typeName: String, value: T): ByteArray =
    try {
        encode(value)
    } catch (e: CancellationException) {
        throw e
    } catch (e: CodecException) {
        throw e
    } catch (e: Exception) {
        throw CodecException(typeName, contentType, "cannot encode '$typeName' as $contentType: ${e.message}", e)
    }

/** Decodes [data], wrapping any failure in a [CodecException] that names [typeName]. */
public fun <T> Codec<T>.decodeAs(typeName: String, data: ByteArray): T =
    try {
        decode(data)
    } catch (e: CancellationException) {
        throw e
    } catch (e: CodecException) {
        throw e
    } catch (e: Exception) {
        throw CodecException(typeName, contentType, "cannot decode '$typeName' from $contentType: ${e.message}", e)
    }
