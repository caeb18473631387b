package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import dev.estoria.event.StoredText

/** Rules for checkpoint names and positions shared by every [CheckpointStore]. */
public object CheckpointNames {
    /** Longest accepted name. */
    public const val MAX_LENGTH: Int = 200

    /**
     * @throws InvalidInputException when [name] is blank, longer than [MAX_LENGTH] or holds a character no
     *   backend can store exactly (a lone surrogate or NUL, see [StoredText]: two such names would share
     *   one row on the JDBC stores), or [position] < 0.
     */
    @JvmStatic
    @JvmOverloads
    public fun validate(name: String, position: Long = 0) {
        if (name.isBlank() || name.length > MAX_LENGTH) throw InvalidInputException("checkpoint name must be 1-$MAX_LENGTH non-blank characters")
        StoredText.requireStorable("checkpoint name", name)
        if (position < 0) throw InvalidInputException("checkpoint position must be >= 0, was $position")
    }
}
