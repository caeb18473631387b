package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException

/**
 * The argument check every [dev.estoria.eventstore.StreamDeleter] makes before touching anything, in one
 * place so that all stores refuse the same input with the same message (TCK: `StreamDeleterSuite`,
 * "truncating to a version below 1 is refused and changes nothing").
 */
@EstoriaSpi
public object DeleteArguments {
    /** Refuses a truncation version below 1 (`null`, a whole-stream delete, passes). */
    @JvmStatic
    public fun checkToVersion(toVersion: Long?) {
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
    }
}
