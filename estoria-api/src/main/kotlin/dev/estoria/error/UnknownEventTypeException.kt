package dev.estoria.error

/**
 * An event of type [eventType] was read but no class is registered under that name.
 *
 * @property aggregateType the aggregate type whose event registry lacks [eventType].
 */
public class UnknownEventTypeException(public val eventType: String, public val aggregateType: String) :
    EstoriaException("event type '$eventType' is not registered for aggregate type '$aggregateType'")
