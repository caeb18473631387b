package dev.estoria.eventstore

/**
 * A snapshot of a [GlobalFrontier].
 *
 * @property stableHead the highest position a global read can return now (what `headPosition` reports).
 * @property newestPosition the highest position stored, committed but possibly not yet stable (0 when empty).
 * @property heldBackEvents how many stored events lie above the frontier (0 when nothing lags).
 * @property holders the transactions holding the frontier back, oldest first (empty when nothing lags
 *   or the store cannot tell).
 */
public class FrontierStatus(
    public val stableHead: Long,
    public val newestPosition: Long,
    public val heldBackEvents: Long,
    public val holders: List<FrontierHolder>,
) {
    /** How far the frontier is behind the newest stored event, in positions (positions may have gaps). */
    public val lagPositions: Long get() = newestPosition - stableHead

    override fun toString(): String =
        "FrontierStatus(stableHead=$stableHead, newestPosition=$newestPosition, heldBackEvents=$heldBackEvents, holders=$holders)"
}
