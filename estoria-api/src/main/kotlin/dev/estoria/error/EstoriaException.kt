package dev.estoria.error

/**
 * Root of every failure Estoria reports. Backends translate driver errors into these types and keep
 * the driver exception as [cause]; the conformance kit asserts the types.
 */
public sealed class EstoriaException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)
