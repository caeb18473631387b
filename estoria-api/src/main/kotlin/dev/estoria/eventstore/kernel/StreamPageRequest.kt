package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.event.ReadDirection

/**
 * One page of a stream read that [PagedReads.stream] asks a backend for.
 *
 * @property fromVersion the first version of the page (inclusive); `null` on the first page when the
 *   caller gave none: the first event forward, the last event backward.
 * @property direction the read's direction.
 * @property limit the most events the page may hold (>= 1).
 * @property first whether this is the read's first page: a backend answers
 *   [dev.estoria.error.StreamNotFoundException] on the first page of a stream that does not exist.
 */
@EstoriaSpi
public class StreamPageRequest(
    public val fromVersion: Long?,
    public val direction: ReadDirection,
    public val limit: Int,
    public val first: Boolean,
) {
    /** Whether the read goes forward. */
    public val forward: Boolean get() = direction == ReadDirection.FORWARD

    override fun toString(): String = "StreamPageRequest(from=$fromVersion, $direction, limit=$limit, first=$first)"
}
