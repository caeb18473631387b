package dev.estoria.kurrent

import dev.estoria.error.InvalidInputException
import dev.estoria.kurrent.internal.StreamNames

/**
 * Settings of a [KurrentEventStore].
 *
 * @property streamPrefix `null` (default) or a prefix following the type-name rules: stream `type_uuid`
 *   is then the KurrentDB stream `prefix-type_uuid`, and `readAll` returns only this prefix's streams.
 * @property pageSize events per read call of stream reads and `readAll` (default 256).
 * @property duplicateWindow how far back an append looks for the ids of its batch, because KurrentDB has
 *   no index by event id: the last [duplicateWindow] events of the target stream and the last
 *   [duplicateWindow] records of `$all` (default 100). A batch retried with `Exact` or `NoStream` is
 *   also found at the versions it would occupy, however far back. 0 turns the windows off (a retry with
 *   `Any`/`StreamExists`, or an id reused elsewhere, is then written again).
 * @property maxAttempts how often an append that keeps losing races is tried before it fails (default 20).
 */
public class KurrentStoreOptions @JvmOverloads constructor(
    public val streamPrefix: String? = null,
    public val pageSize: Int = DEFAULT_PAGE_SIZE,
    public val duplicateWindow: Int = DEFAULT_DUPLICATE_WINDOW,
    public val maxAttempts: Int = DEFAULT_MAX_ATTEMPTS,
) {
    init {
        StreamNames(streamPrefix)
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
        if (duplicateWindow < 0) throw InvalidInputException("duplicateWindow must be >= 0, was $duplicateWindow")
        if (maxAttempts < 1) throw InvalidInputException("maxAttempts must be >= 1, was $maxAttempts")
    }

    override fun toString(): String =
        "KurrentStoreOptions(prefix=$streamPrefix, pageSize=$pageSize, duplicateWindow=$duplicateWindow, maxAttempts=$maxAttempts)"

    /** Defaults. */
    public companion object {
        /** Default [pageSize]. */
        public const val DEFAULT_PAGE_SIZE: Int = 256

        /** Default [duplicateWindow]. */
        public const val DEFAULT_DUPLICATE_WINDOW: Int = 100

        /** Default [maxAttempts] (the kernel's default). */
        public const val DEFAULT_MAX_ATTEMPTS: Int = 20
    }
}
