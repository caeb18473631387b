package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * The event id [eventId] is already stored (in [existingStreamId], when known) with other content or
 * at another place; nothing was written. Re-appending the same batch at the same versions is not an
 * error: it returns the original result.
 *
 * @property streamId the stream the refused append was addressed to.
 */
public class DuplicateEventException(
    public val eventId: TypeId,
    public val streamId: TypeId,
    public val existingStreamId: TypeId?,
    cause: Throwable? = null,
) : EstoriaException(
    "event $eventId appended to $streamId is already stored" +
        (existingStreamId?.let { " in stream $it" } ?: "") + " with other content or at another version",
    cause,
)
