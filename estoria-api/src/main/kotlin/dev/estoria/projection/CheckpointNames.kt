package dev.estoria.projection

import dev.estoria.error.InvalidInputException

/** Rules for checkpoint names and positions shared by every [CheckpointStore]. */
public object CheckpointNames {
    /** Longest accepted name. */
    public const val MAX_LENGTH: Int = 200

    /**
     * @throws InvalidInputException when [name] is blank or longer than [MAX_LENGTH], or [position] < 0.
     */
    @JvmStatic
    @JvmOverloads
    public fun validate(name: String, position: Long = 0) {
        if (name.isBlank() || name.length > MAX_LENGTH) throw InvalidInputException("checkpoint name must be 1-$MAX_LENGTH non-blank characters")
        if (position < 0) throw InvalidInputException("checkpoint position must be >= 0, was $position")
    }
}
