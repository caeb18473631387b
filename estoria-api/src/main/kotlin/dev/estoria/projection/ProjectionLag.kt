package dev.estoria.projection

import java.time.Duration

/**
 * How far a projection is behind the stable frontier of its reader.
 *
 * @property events events not yet applied, counted up to [ProjectionProcessor.LAG_COUNT_LIMIT].
 * @property atLeast whether [events] hit that limit (there may be more).
 * @property time how long the oldest unapplied event has waited since its append (zero when none).
 */
public class ProjectionLag(
    public val events: Int,
    public val atLeast: Boolean,
    public val time: Duration,
) {
    override fun toString(): String = "ProjectionLag(events=${if (atLeast) ">=" else ""}$events, time=$time)"
}
