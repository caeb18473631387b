package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * Replaying stream [streamId] expected the event at version [expectedVersion] next but the stream
 * returned [foundVersion]: events are missing (lost rows, or a truncated stream replayed from a
 * version it no longer holds). An aggregate built across the gap would be wrong, so the load fails
 * instead. This is stored data the library cannot use, never the caller's fault.
 *
 * TCK: `AggregateLayersSuite` ("a gap in stream versions fails the load with EventGapException …").
 *
 * @property streamId the stream with the gap.
 * @property expectedVersion the version that should have come next.
 * @property foundVersion the version the stream returned instead.
 */
public class EventGapException(
    public val streamId: TypeId,
    public val expectedVersion: Long,
    public val foundVersion: Long,
) : EstoriaException(
    "stream $streamId has a gap: expected version $expectedVersion next, found $foundVersion " +
        "(events are missing, or the stream was truncated and no usable snapshot covers the removed versions)",
)
