package dev.estoria.aggregate

import dev.estoria.codec.decodeAs
import dev.estoria.codec.encodeAs
import dev.estoria.error.InvalidInputException
import dev.estoria.error.UnknownEventTypeException

/**
 * The event types of one aggregate type, name ↔ class, each with its codec. Registering a name or
 * a class twice is refused; encoding an unregistered class or decoding an unknown name fails clearly.
 */
public class EventTypeRegistry internal constructor(
    private val aggregateType: String,
    types: List<EventType<*>>,
) {
    private val byName: Map<String, EventType<*>>
    private val byClass: Map<Class<*>, EventType<*>>

    init {
        val names = LinkedHashMap<String, EventType<*>>()
        val classes = LinkedHashMap<Class<*>, EventType<*>>()
        for (type in types) {
            names.put(type.name, type)?.let {
                throw InvalidInputException("event type name '${type.name}' is registered twice for aggregate '$aggregateType'")
            }
            classes.put(type.eventClass, type)?.let {
                throw InvalidInputException("event class ${type.eventClass.name} is registered twice for aggregate '$aggregateType'")
            }
        }
        byName = names
        byClass = classes
    }

    /** Every registered type, in registration order. */
    public val types: Collection<EventType<*>> get() = byName.values

    /** The type registered under [name], or null. */
    public fun byName(name: String): EventType<*>? = byName[name]

    /** The type registered for [event]'s class (or the closest registered superclass), or null. */
    public fun forEvent(event: Any): EventType<*>? =
        byClass[event.javaClass] ?: byClass.entries.firstOrNull { it.key.isInstance(event) }?.value

    /** Encodes [event] with its type's codec. */
    public fun encode(event: Any): EncodedEvent {
        val type = forEvent(event)
            ?: throw InvalidInputException("event class ${event.javaClass.name} is not registered for aggregate '$aggregateType'")
        return EncodedEvent(type.name, encodeWith(type, event), type.codec.contentType)
    }

    /** Decodes a stored payload of the event type [name]. */
    public fun decode(name: String, data: ByteArray): Any {
        val type = byName[name] ?: throw UnknownEventTypeException(name, aggregateType)
        return type.codec.decodeAs(name, data)
    }

    private fun <E : Any> encodeWith(type: EventType<E>, event: Any): ByteArray =
        type.codec.encodeAs(type.name, type.eventClass.cast(event))
}
