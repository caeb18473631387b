package dev.estoria.aggregate

import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId

/**
 * An event appended to an aggregate but not saved yet: the domain [event], its id (fixed when
 * appended, so a retried save is idempotent), its encoded payload and its own [metadata].
 *
 * @property id the event id, fixed when the event was appended; its type is the event type name.
 */
public class PendingEvent private constructor(
    public val event: Any,
    public val id: TypeId,
    private val encoded: EncodedEvent,
    public val metadata: Map<String, String>,
) {
    internal fun toWritable(saveMetadata: Map<String, String>): WritableEvent =
        WritableEvent.of(encoded.type, encoded.data, encoded.contentType, saveMetadata + metadata, id)

    override fun toString(): String = "PendingEvent($id, $event)"

    internal companion object {
        fun of(aggregate: Aggregate<*>, event: Any, metadata: Map<String, String>): PendingEvent {
            val encoded = aggregate.definition.events.encode(event)
            val id = TypeId(encoded.type, aggregate.definition.idGenerator.newUuid())
            return PendingEvent(event, id, encoded, metadata)
        }
    }
}
