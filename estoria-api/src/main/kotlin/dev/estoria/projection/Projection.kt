package dev.estoria.projection

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event

/**
 * A read model's definition: a [name], a [version] and its handlers. The checkpoint (and lease) of a
 * projection is [checkpointName], `name.vN`: a new version is a new projection that rebuilds from the start
 * beside the old one.
 *
 * Handlers are tried in registration order; every handler whose route matches an event is called:
 * - `on(definition, Class)`: events of streams of the aggregate [AggregateDefinition.type] whose stored type
 *   is registered in the definition's event registry with a class assignable to the handler's, decoded
 *   with that registry (a payload that does not decode goes to the [ErrorPolicy] as a `CodecException`);
 * - `onAny`: every event, raw.
 * Other events are skipped (their position is still checkpointed).
 *
 * Build one with the DSL [projection] or, from Java, [Projection.builder]. TCK: `ProjectionSuite`.
 *
 * @property name the projection's name, valid as a checkpoint name.
 * @property version the projection's version (>= 1).
 * @property errorPolicy what the processor does when a handler throws. Default: [ErrorPolicy.stop].
 */
public class Projection private constructor(
    public val name: String,
    public val version: Int,
    private val routes: List<Route>,
    public val errorPolicy: ErrorPolicy,
) {
    /** The checkpoint and lease name: `name.vN`. */
    public val checkpointName: String = "$name.v$version"

    /** Calls every handler whose route matches [event]; returns whether any did. */
    internal suspend fun apply(event: Event): Boolean {
        var matched = false
        val envelope = EventEnvelope(event)
        for (route in routes) if (route.deliver(event, envelope)) matched = true
        return matched
    }

    override fun toString(): String = "Projection($checkpointName, ${routes.size} handlers)"

    /** A handler with the events it takes. */
    private sealed class Route {
        abstract suspend fun deliver(event: Event, envelope: EventEnvelope): Boolean
    }

    private class Typed<E : Any>(
        private val definition: AggregateDefinition<*>,
        private val eventClass: Class<E>,
        private val handler: EventHandler<E>,
    ) : Route() {
        override suspend fun deliver(event: Event, envelope: EventEnvelope): Boolean {
            if (event.streamId.type != definition.type) return false
            val type = definition.events.byName(event.type) ?: return false
            if (!eventClass.isAssignableFrom(type.eventClass)) return false
            val decoded = definition.events.decode(event.type, event.data)
            handler.handle(eventClass.cast(decoded), envelope)
            return true
        }
    }

    private class Raw(private val handler: EventHandler<Event>) : Route() {
        override suspend fun deliver(event: Event, envelope: EventEnvelope): Boolean {
            handler.handle(event, envelope)
            return true
        }
    }

    /**
     * Builds a [Projection]; usable from Java (the Java facade adapts blocking Java handlers to [EventHandler]).
     */
    public class Builder internal constructor(private val name: String) {
        private var version = 1
        private val routes = ArrayList<Route>()
        private var errorPolicy: ErrorPolicy = ErrorPolicy.stop()

        /** Sets the version (>= 1). Default: 1. */
        public fun version(version: Int): Builder = apply { this.version = version }

        /** Handles events of [definition]'s streams whose registered class is [eventClass] or a subclass. */
        public fun <E : Any> on(definition: AggregateDefinition<*>, eventClass: Class<E>, handler: EventHandler<E>): Builder =
            apply { routes += Typed(definition, eventClass, handler) }

        /** Handles every event, raw. */
        public fun onAny(handler: EventHandler<Event>): Builder = apply { routes += Raw(handler) }

        /** Sets the error policy. Default: [ErrorPolicy.stop]. */
        public fun errorPolicy(policy: ErrorPolicy): Builder = apply { this.errorPolicy = policy }

        /**
         * Builds the projection.
         *
         * @throws InvalidInputException when the name is not a valid checkpoint name, the version is below 1
         *   or no handler is registered.
         */
        public fun build(): Projection {
            if (version < 1) throw InvalidInputException("projection version must be >= 1, was $version")
            CheckpointNames.validate("$name.v$version")
            if (routes.isEmpty()) throw InvalidInputException("projection '$name' registers no handler")
            return Projection(name, version, routes.toList(), errorPolicy)
        }
    }

    /** Factories. */
    public companion object {
        /** Starts a builder for the projection [name]. */
        @JvmStatic
        public fun builder(name: String): Builder = Builder(name)
    }
}
