package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * An event of [size] bytes exceeds the store's limit of [limit] bytes; nothing was written.
 *
 * @property streamId the stream the refused append was addressed to.
 * @property eventType the type name of the oversized event.
 */
public class EventTooLargeException(
    public val streamId: TypeId,
    public val eventType: String,
    public val size: Int,
    public val limit: Int,
) : EstoriaException("event '$eventType' for stream $streamId is $size bytes, over the limit of $limit bytes")
