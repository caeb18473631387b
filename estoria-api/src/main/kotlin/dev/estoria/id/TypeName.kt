package dev.estoria.id

import dev.estoria.error.InvalidInputException

/**
 * Rules for type names (aggregate types and event types): 1 to 63 characters of `[a-z0-9_]`,
 * starting with a letter, not ending with `_`.
 */
public object TypeName {
    /** Longest accepted type name. */
    public const val MAX_LENGTH: Int = 63

    /**
     * Whether [name] is a valid type name: `[a-z]([a-z0-9_]*[a-z0-9])?`, at most [MAX_LENGTH] long.
     * (A plain loop rather than a regex: every id the stores read back is checked.)
     */
    @JvmStatic
    public fun isValid(name: String): Boolean {
        val n = name.length
        if (n < 1 || n > MAX_LENGTH || name[0] !in 'a'..'z' || name[n - 1] == '_') return false
        for (i in 1 until n) {
            val c = name[i]
            if (c !in 'a'..'z' && c !in '0'..'9' && c != '_') return false
        }
        return true
    }

    /**
     * Returns [name] when valid.
     *
     * @throws InvalidInputException naming the rule that [name] breaks.
     */
    @JvmStatic
    public fun validate(name: String): String {
        if (!isValid(name)) {
            throw InvalidInputException(
                "invalid type name '$name': expected 1-$MAX_LENGTH characters of [a-z0-9_], " +
                    "starting with a letter and not ending with '_'",
            )
        }
        return name
    }
}
