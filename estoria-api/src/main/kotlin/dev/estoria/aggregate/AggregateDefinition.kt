package dev.estoria.aggregate

import dev.estoria.EstoriaSpi
import dev.estoria.codec.Codec
import dev.estoria.error.InvalidInputException
import dev.estoria.id.IdGenerator
import dev.estoria.id.TypeId
import dev.estoria.id.TypeName

/**
 * Everything Estoria knows about one aggregate type: its [type] name (the type of its stream ids),
 * its initial state, an evolve function per event class, the [events] registry (names and codecs),
 * and an optional [stateCodec] used by snapshots and distributed caches.
 *
 * Build one with the Kotlin DSL [aggregate] or, from Java, with [AggregateDefinition.builder].
 *
 * @property idGenerator the source of the UUIDs of new aggregate ids ([newId]) and of pending event ids.
 */
public class AggregateDefinition<S> private constructor(
    public val type: String,
    private val initialState: InitialState<S>,
    private val evolvers: Map<Class<*>, Evolver<S, Any>>,
    public val events: EventTypeRegistry,
    public val stateCodec: Codec<S>?,
    public val idGenerator: IdGenerator,
) {
    /** The state of a new aggregate [id]. */
    public fun initial(id: TypeId): S = initialState.create(id)

    /**
     * Applies [event] to [state].
     *
     * @throws InvalidInputException when no evolve function is registered for the event's class.
     */
    public fun evolve(state: S, event: Any): S {
        val evolver = evolvers[event.javaClass]
            ?: evolvers.entries.firstOrNull { it.key.isInstance(event) }?.value
            ?: throw InvalidInputException("aggregate '$type' has no evolve function for ${event.javaClass.name}")
        return evolver.evolve(state, event)
    }

    /** A new id of this aggregate type. */
    public fun newId(): TypeId = TypeId(type, idGenerator.newUuid())

    /**
     * Checks that [id] belongs to this aggregate type.
     *
     * @throws InvalidInputException when `id.type != type`.
     */
    public fun requireOwnId(id: TypeId): TypeId {
        if (id.type != type) throw InvalidInputException("id $id is not of aggregate type '$type'")
        return id
    }

    /** A new aggregate [id] at version 0 with its initial state. */
    @JvmOverloads
    public fun create(id: TypeId = newId()): Aggregate<S> = Aggregate(this, requireOwnId(id), 0, initial(id))

    /**
     * An aggregate [id] at [version] with [state], as restored from a snapshot or cache.
     *
     * @throws InvalidInputException when [version] is negative or [id] is not of this type.
     */
    @EstoriaSpi
    public fun restore(id: TypeId, version: Long, state: S): Aggregate<S> = restore(id, version, state, null)

    /** Like [restore], remembering [lastEventId], the id of the event at [version], for the layers' check on load. */
    internal fun restore(id: TypeId, version: Long, state: S, lastEventId: TypeId?): Aggregate<S> {
        if (version < 0) throw InvalidInputException("aggregate version must be >= 0, was $version")
        return Aggregate(this, requireOwnId(id), version, state).also { it.lastEventId = lastEventId }
    }

    /** The [stateCodec], or a clear error naming the layer that needs it. */
    public fun requireStateCodec(neededBy: String): Codec<S> =
        stateCodec ?: throw InvalidInputException("$neededBy needs a state codec for aggregate '$type': set stateCodec in its definition")

    override fun toString(): String = "AggregateDefinition($type, events=${events.types.map { it.name }})"

    /**
     * Builds an [AggregateDefinition]; usable from Java:
     * ```java
     * AggregateDefinition.<Account>builder("account")
     *     .initial(id -> new Account(id, 0))
     *     .on(Deposited.class, "deposited", codec, (s, e) -> s.deposit(e.amount()))
     *     .build();
     * ```
     */
    public class Builder<S> internal constructor(private val type: String) {
        private var initial: InitialState<S>? = null
        private val types = ArrayList<EventType<*>>()
        private val evolvers = LinkedHashMap<Class<*>, Evolver<S, Any>>()
        private var stateCodec: Codec<S>? = null
        private var idGenerator: IdGenerator = IdGenerator.uuidV7()

        /** Sets the initial-state factory (required). */
        public fun initial(initial: InitialState<S>): Builder<S> = apply { this.initial = initial }

        /** Registers the event class [eventClass] under [name] with [codec], applied by [evolver]. */
        public fun <E : Any> on(eventClass: Class<E>, name: String, codec: Codec<E>, evolver: Evolver<S, E>): Builder<S> =
            apply {
                types += EventType(name, eventClass, codec)
                evolvers[eventClass] = Evolver { state, event -> evolver.evolve(state, eventClass.cast(event)) }
            }

        /** Sets the codec of the state, needed by snapshots and distributed caches. Default: none. */
        public fun stateCodec(codec: Codec<S>?): Builder<S> = apply { this.stateCodec = codec }

        /** Sets the generator of new aggregate ids. Default: UUIDv7 on the system clock. */
        public fun idGenerator(generator: IdGenerator): Builder<S> = apply { this.idGenerator = generator }

        /**
         * Builds the definition.
         *
         * @throws InvalidInputException when the type name is invalid, no initial state is set, no event type is
         *   registered, or a name or class is registered twice.
         */
        public fun build(): AggregateDefinition<S> {
            TypeName.validate(type)
            val initialState = initial ?: throw InvalidInputException("aggregate '$type' needs an initial state")
            if (types.isEmpty()) throw InvalidInputException("aggregate '$type' registers no event type")
            return AggregateDefinition(type, initialState, evolvers.toMap(), EventTypeRegistry(type, types), stateCodec, idGenerator)
        }
    }

    /** Factories. */
    public companion object {
        /** Starts a builder for the aggregate type [type]. */
        @JvmStatic
        public fun <S> builder(type: String): Builder<S> = Builder(type)
    }
}
