package dev.estoria.error

/** Bad input from the caller (malformed id, reserved metadata key, negative version, …). Nothing was written. */
public class InvalidInputException(message: String, cause: Throwable? = null) : EstoriaException(message, cause)
