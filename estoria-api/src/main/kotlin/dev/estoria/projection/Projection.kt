package dev.estoria.projection

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.id.TypeId
import dev.estoria.projection.internal.Partitioning

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
 * **Partitions.** A projection may declare [partitions] N > 1: each stream belongs to one partition,
 * [partitionOf] (a stable hash of the stream id, the same on every JVM and release), so each stream's events
 * stay in order; each partition has its own checkpoint and lease, [partitionName], and the instances of a
 * processor share the partitions (see `ProjectionProcessor`). Changing N maps streams to other partitions:
 * it is a new projection (bump the [version] and rebuild).
 *
 * Build one with the DSL [projection] or, from Java, [Projection.builder]. TCK: `ProjectionSuite`.
 *
 * @property name the projection's name, valid as a checkpoint name, without `#` (it separates partition names).
 * @property version the projection's version (>= 1).
 * @property errorPolicy what the processor does when a handler throws. Default: [ErrorPolicy.stop].
 * @property partitions how many partitions share the streams (1..[MAX_PARTITIONS]). Default 1.
 */
public class Projection private constructor(
    public val name: String,
    public val version: Int,
    private val routes: List<Route>,
    public val errorPolicy: ErrorPolicy,
    public val partitions: Int,
) {
    /** The checkpoint and lease name of a projection of one partition: `name.vN` (the prefix of the others). */
    public val checkpointName: String = "$name.v$version"

    /**
     * The checkpoint and lease name of partition [index] (0 until [partitions]): [checkpointName] when there is
     * one partition, else `name.vN#index/partitions` (for example `balances.v2#3/8`).
     *
     * @throws InvalidInputException when [index] is out of range.
     */
    public fun partitionName(index: Int): String {
        if (index !in 0 until partitions) throw InvalidInputException("partition $index of $checkpointName is not in 0 until $partitions")
        return if (partitions == 1) checkpointName else "$checkpointName#$index/$partitions"
    }

    /** Every checkpoint name of this projection, one per partition in index order. */
    public val checkpointNames: List<String> get() = List(partitions) { partitionName(it) }

    /**
     * The partition of the stream [streamId]: `crc32(utf8(streamId.toString())) mod partitions`, with the
     * CRC-32 of ISO-HDLC / zlib (`java.util.zip.CRC32`) read as an unsigned 32-bit number. Stable across JVMs
     * and releases (a change would move streams between partitions), and computable in any language.
     */
    public fun partitionOf(streamId: TypeId): Int = Partitioning.partitionOf(streamId.toString(), partitions)

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
        private var partitions = 1

        /** Sets the version (>= 1). Default: 1. */
        public fun version(version: Int): Builder = apply { this.version = version }

        /** Handles events of [definition]'s streams whose registered class is [eventClass] or a subclass. */
        public fun <E : Any> on(definition: AggregateDefinition<*>, eventClass: Class<E>, handler: EventHandler<E>): Builder =
            apply { routes += Typed(definition, eventClass, handler) }

        /** Handles every event, raw. */
        public fun onAny(handler: EventHandler<Event>): Builder = apply { routes += Raw(handler) }

        /** Sets the error policy. Default: [ErrorPolicy.stop]. */
        public fun errorPolicy(policy: ErrorPolicy): Builder = apply { this.errorPolicy = policy }

        /** Sets the number of partitions (1..[MAX_PARTITIONS]). Default: 1. */
        public fun partitions(count: Int): Builder = apply { this.partitions = count }

        /**
         * Builds the projection.
         *
         * @throws InvalidInputException when the name is not a valid checkpoint name or holds `#`, the version is
         *   below 1, the partitions are out of range (or their names too long) or no handler is registered.
         */
        public fun build(): Projection {
            if (version < 1) throw InvalidInputException("projection version must be >= 1, was $version")
            if ('#' in name) throw InvalidInputException("projection name '$name' must not contain '#' (it separates partition names)")
            if (partitions !in 1..MAX_PARTITIONS) throw InvalidInputException("partitions must be in 1..$MAX_PARTITIONS, was $partitions")
            CheckpointNames.validate("$name.v$version")
            if (partitions > 1) CheckpointNames.validate(Partitioning.memberName("$name.v$version", "owner")) // the longest name it uses
            if (routes.isEmpty()) throw InvalidInputException("projection '$name' registers no handler")
            return Projection(name, version, routes.toList(), errorPolicy, partitions)
        }
    }

    /** Factories and limits. */
    public companion object {
        /** The most partitions a projection may declare. */
        public const val MAX_PARTITIONS: Int = 1024

        /** Starts a builder for the projection [name]. */
        @JvmStatic
        public fun builder(name: String): Builder = Builder(name)
    }
}
