package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.id.TypeId

/**
 * Where a stored event lives: what a backend's "find stored events by id" returns to the kernel's
 * idempotent-retry decision ([RejectedAppend.resolve]).
 *
 * @property eventId the event's id.
 * @property streamId the stream that holds it.
 * @property streamVersion its version in that stream.
 */
@EstoriaSpi
public class StoredEventRef(
    public val eventId: TypeId,
    public val streamId: TypeId,
    public val streamVersion: Long,
) {
    override fun toString(): String = "StoredEventRef($eventId in $streamId@$streamVersion)"
}
