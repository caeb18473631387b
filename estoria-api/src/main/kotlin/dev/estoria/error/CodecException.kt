package dev.estoria.error

/** Encoding or decoding a value of [typeName] with content type [contentType] failed. */
public class CodecException(
    public val typeName: String,
    public val contentType: String,
    message: String,
    cause: Throwable? = null,
) : EstoriaException(message, cause)
