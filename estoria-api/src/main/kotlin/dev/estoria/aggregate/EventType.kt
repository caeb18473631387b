package dev.estoria.aggregate

import dev.estoria.codec.Codec
import dev.estoria.id.TypeName

/**
 * One registered event type of an aggregate: the stored [name], the JVM [eventClass] and its [codec].
 */
public class EventType<E : Any>(
    name: String,
    public val eventClass: Class<E>,
    public val codec: Codec<E>,
) {
    /** The stored event type name, a valid [TypeName]. */
    public val name: String = TypeName.validate(name)

    override fun toString(): String = "EventType($name -> ${eventClass.name}, ${codec.contentType})"
}
