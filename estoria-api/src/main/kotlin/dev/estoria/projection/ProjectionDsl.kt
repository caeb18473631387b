package dev.estoria.projection

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.event.Event

/** Marks the projection DSL so that nested blocks cannot reach an outer receiver by accident. */
@DslMarker
public annotation class ProjectionDsl

/**
 * Defines a projection in Kotlin:
 * ```kotlin
 * val balances = projection("balances", version = 2) {
 *     on<Deposited>(Account) { e, env -> view.add(env.streamId, e.amount) }
 *     onAny { event, env -> audit.record(env.globalPosition, event.type) }
 * }
 * ```
 * See [Projection] for the routing rules. TCK: `ProjectionSuite`.
 */
public fun projection(name: String, version: Int = 1, block: ProjectionBuilder.() -> Unit): Projection {
    val builder = ProjectionBuilder(Projection.builder(name).version(version))
    builder.block()
    return builder.builder.build()
}

/** The receiver of the [projection] DSL. */
@ProjectionDsl
public class ProjectionBuilder @PublishedApi internal constructor(
    @PublishedApi internal val builder: Projection.Builder,
) {
    /** Handles the events of [definition]'s streams decoded as [E] (a registered class or a supertype of some). */
    public inline fun <reified E : Any> on(definition: AggregateDefinition<*>, noinline handler: suspend (E, EventEnvelope) -> Unit) {
        builder.on(definition, E::class.java, EventHandler { e, env -> handler(e, env) })
    }

    /** Handles every event, raw. */
    public fun onAny(handler: suspend (Event, EventEnvelope) -> Unit) {
        builder.onAny(EventHandler { e, env -> handler(e, env) })
    }

    /** Sets the error policy. Default: [ErrorPolicy.stop]. */
    public fun errorPolicy(policy: ErrorPolicy) {
        builder.errorPolicy(policy)
    }

    /** Sets the number of partitions (see [Projection.partitions]). Default: 1. */
    public fun partitions(count: Int) {
        builder.partitions(count)
    }
}
