package dev.estoria.event

import dev.estoria.error.InvalidInputException

/** Rules for event metadata. */
public object Metadata {
    /** Keys starting with this prefix are reserved for the library and rejected on user input. */
    public const val RESERVED_PREFIX: String = "estoria."

    /**
     * Returns an immutable copy of [metadata] when every key is non-blank and not reserved, and every key
     * and value can be stored (see [StoredText]: no lone surrogate, no NUL, on every backend).
     *
     * @throws InvalidInputException naming the offending key.
     */
    @JvmStatic
    public fun validate(metadata: Map<String, String>): Map<String, String> {
        for (key in metadata.keys) {
            if (key.isBlank()) throw InvalidInputException("metadata keys must not be blank")
            if (key.startsWith(RESERVED_PREFIX)) {
                throw InvalidInputException("metadata key '$key' is reserved: keys starting with '$RESERVED_PREFIX' belong to Estoria")
            }
        }
        return storable(metadata)
    }

    /** An immutable copy of [metadata] when every key and value can be stored ([StoredText]). */
    internal fun storable(metadata: Map<String, String>): Map<String, String> {
        if (metadata.isEmpty()) return emptyMap()
        for ((key, value) in metadata) {
            StoredText.requireStorable("metadata key", key)
            StoredText.requireStorable("the value of metadata key '$key'", value)
        }
        return metadata.toMap()
    }
}
