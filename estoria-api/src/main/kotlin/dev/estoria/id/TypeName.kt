package dev.estoria.id

import dev.estoria.error.InvalidInput

/**
 * Rules for type names (aggregate types and event types): 1 to 63 characters of `[a-z0-9_]`,
 * starting with a letter, not ending with `_`.
 */
public object TypeName {
    /** Longest accepted type name. */
    public const val MAX_LENGTH: Int = 63

    private val PATTERN = Regex("[a-z]([a-z0-9_]*[a-z0-9])?")

    /** Whether [name] is a valid type name. */
    @JvmStatic
    public fun isValid(name: String): Boolean = name.length <= MAX_LENGTH && PATTERN.matches(name)

    /**
     * Returns [name] when valid.
     *
     * @throws InvalidInput naming the rule that [name] breaks.
     */
    @JvmStatic
    public fun validate(name: String): String {
        if (!isValid(name)) {
            throw InvalidInput(
                "invalid type name '$name': expected 1-$MAX_LENGTH characters of [a-z0-9_], " +
                    "starting with a letter and not ending with '_'",
            )
        }
        return name
    }
}
