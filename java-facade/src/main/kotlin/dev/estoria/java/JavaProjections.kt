package dev.estoria.java

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.event.Event
import dev.estoria.projection.ErrorPolicy
import dev.estoria.projection.EventEnvelope
import dev.estoria.projection.EventHandler
import dev.estoria.projection.Projection

/**
 * A projection handler for Java: `(event, envelope) -> { … }`. It runs on the processor's executor (see
 * `AsyncProjectionProcessor`) and may block; throwing hands the event to the projection's [ErrorPolicy].
 */
public fun interface JavaEventHandler<E> {
    /** Applies [event]. */
    @Throws(Exception::class)
    public fun handle(event: E, envelope: EventEnvelope)
}

/**
 * Defines projections from Java, over the one [Projection] model:
 * ```java
 * Projection balances = JavaProjections.define("balances").version(2)
 *     .on(ACCOUNT, Deposited.class, (e, env) -> view.add(env.getStreamId(), e.amount()))
 *     .onAny((event, env) -> audit.add(event.getType()))
 *     .build();
 * ```
 * Tested by `ProjectionsFromJavaTest`.
 */
public object JavaProjections {
    /** Starts the definition of projection [name] (version 1 unless set). */
    @JvmStatic
    public fun define(name: String): Builder = Builder(Projection.builder(name))

    /** The Java builder; it delegates to [Projection.Builder]. */
    public class Builder internal constructor(private val inner: Projection.Builder) {
        /** Sets the version (>= 1). Default: 1. */
        public fun version(version: Int): Builder = apply { inner.version(version) }

        /** Handles the events of [definition]'s streams whose registered class is [eventClass] or a subclass. */
        public fun <E : Any> on(definition: AggregateDefinition<*>, eventClass: Class<E>, handler: JavaEventHandler<in E>): Builder =
            apply { inner.on(definition, eventClass, EventHandler { e, env -> handler.handle(e, env) }) }

        /** Handles every event, raw. */
        public fun onAny(handler: JavaEventHandler<Event>): Builder = apply { inner.onAny(EventHandler { e, env -> handler.handle(e, env) }) }

        /**
         * Handles the events of [definition]'s streams with a ready [EventHandler], such as estoria-jdbc's
         * `JdbcProjectionTransactions.handler((e, env, connection) -> …)` for the same-transaction mode.
         */
        public fun <E : Any> on(definition: AggregateDefinition<*>, eventClass: Class<E>, handler: EventHandler<E>): Builder =
            apply { inner.on(definition, eventClass, handler) }

        /** Handles every event, raw, with a ready [EventHandler] (see the other [on]). */
        public fun onAny(handler: EventHandler<Event>): Builder = apply { inner.onAny(handler) }

        /** Sets the number of partitions (see [Projection.partitions]). Default: 1. */
        public fun partitions(count: Int): Builder = apply { inner.partitions(count) }

        /** Sets the error policy. Default: [ErrorPolicy.stop]. */
        public fun errorPolicy(policy: ErrorPolicy): Builder = apply { inner.errorPolicy(policy) }

        /** Builds the projection (see [Projection.Builder.build] for the checks). */
        public fun build(): Projection = inner.build()
    }
}
