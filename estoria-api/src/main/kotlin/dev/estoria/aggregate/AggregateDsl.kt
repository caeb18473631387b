package dev.estoria.aggregate

import dev.estoria.codec.Codec
import dev.estoria.codec.KotlinxJsonCodec
import dev.estoria.codec.jsonCodec
import dev.estoria.id.IdGenerator
import dev.estoria.id.TypeId
import kotlinx.serialization.KSerializer
import kotlinx.serialization.serializerOrNull
import kotlin.reflect.typeOf

/** Marks the aggregate DSL so that nested blocks cannot reach an outer receiver by accident. */
@DslMarker
public annotation class AggregateDsl

/**
 * Defines an aggregate type in Kotlin:
 * ```kotlin
 * val Account = aggregate<AccountState>("account") {
 *     initial { id -> AccountState(id) }
 *     on<Opened>("opened") { e -> copy(owner = e.owner) }
 *     on<Deposited>("deposited") { e -> copy(balance = balance + e.amount) }
 * }
 * ```
 * Events use kotlinx-serialization JSON unless a codec is given. When [S] is `@Serializable` its
 * JSON codec becomes the state codec (for snapshots and distributed caches) unless [AggregateBuilder.stateCodec] overrides it.
 */
public inline fun <reified S> aggregate(type: String, block: AggregateBuilder<S>.() -> Unit): AggregateDefinition<S> {
    @Suppress("UNCHECKED_CAST")
    val serializer = serializerOrNull(typeOf<S>()) as KSerializer<S>?
    val builder = AggregateBuilder<S>(AggregateDefinition.builder(type))
    if (serializer != null) builder.stateCodec(KotlinxJsonCodec(serializer))
    builder.block()
    return builder.build()
}

/** The receiver of the [aggregate] DSL. */
@AggregateDsl
public class AggregateBuilder<S> @PublishedApi internal constructor(
    @PublishedApi internal val builder: AggregateDefinition.Builder<S>,
) {
    /** Sets the initial state of a new aggregate. */
    public fun initial(create: (TypeId) -> S) {
        builder.initial { id -> create(id) }
    }

    /** Registers event class [E] under [name], encoded by [codec] (default JSON), applied by [evolve]. */
    public inline fun <reified E : Any> on(
        name: String,
        codec: Codec<E> = jsonCodec<E>(),
        noinline evolve: S.(E) -> S,
    ) {
        builder.on(E::class.java, name, codec) { state, event -> state.evolve(event) }
    }

    /** Sets the state codec used by snapshots and distributed caches (`null` for none). */
    public fun stateCodec(codec: Codec<S>?) {
        builder.stateCodec(codec)
    }

    /** Sets the generator of new aggregate ids. Default: UUIDv7 on the system clock. */
    public fun idGenerator(generator: IdGenerator) {
        builder.idGenerator(generator)
    }

    @PublishedApi
    internal fun build(): AggregateDefinition<S> = builder.build()
}
