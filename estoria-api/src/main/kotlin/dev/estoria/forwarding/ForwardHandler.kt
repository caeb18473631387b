package dev.estoria.forwarding

import dev.estoria.projection.EventEnvelope

/**
 * Delivers one event to an external system (a Kafka or RabbitMQ producer awaiting its acknowledgement, an
 * HTTP call). Returning means delivered; throwing means not delivered: the [Forwarder] retries with
 * back-off and then halts the event's stream. Delivery is at least once, so the receiver should be
 * idempotent (the envelope's event id is a natural deduplication key).
 *
 * TCK: `ForwarderSuite`.
 */
public fun interface ForwardHandler {
    /** Delivers [envelope]; throws when it was not delivered. */
    public suspend fun deliver(envelope: EventEnvelope)
}
