package dev.estoria.java

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregate.Evolver
import dev.estoria.aggregate.InitialState
import dev.estoria.codec.Codec
import dev.estoria.error.InvalidInputException
import dev.estoria.id.IdGenerator

/**
 * Aggregate definitions for Java, with records or POJOs as state and events:
 * ```java
 * record Account(String id, long balance) {}
 * record Deposited(long amount) {}
 *
 * AggregateDefinition<Account> ACCOUNT = JavaAggregates.define("account", Account.class)
 *     .initial(id -> new Account(id.toString(), 0))
 *     .on(Deposited.class, "deposited", (account, e) -> new Account(account.id(), account.balance() + e.amount()))
 *     .build();
 * ```
 * Events and state use the codecs of a [CodecProvider]: by default Jackson ([JacksonCodec]) when
 * jackson-databind is on the class path. The result is the same [AggregateDefinition] Kotlin's
 * `aggregate {}` DSL builds, so every store and layer accepts it.
 */
public object JavaAggregates {
    /** Starts the definition of aggregate type [type] (the type of its stream ids) with state class [stateClass]. */
    @JvmStatic
    public fun <S : Any> define(type: String, stateClass: Class<S>): Builder<S> = Builder(type, stateClass)

    /** Collects the parts of a definition; [build] checks them. */
    public class Builder<S : Any> internal constructor(private val type: String, private val stateClass: Class<S>) {
        private var initial: InitialState<S>? = null
        private val registrations = ArrayList<(AggregateDefinition.Builder<S>, () -> CodecProvider) -> Unit>()
        private var codecs: CodecProvider? = null
        private var stateCodec: Codec<S>? = null
        private var stateCodecSet = false
        private var idGenerator: IdGenerator? = null

        /** Sets the state of a new aggregate (required): `id -> new Account(id.toString(), 0)`. */
        public fun initial(initial: InitialState<S>): Builder<S> = apply { this.initial = initial }

        /**
         * Registers [eventClass] under the stored name [name], encoded by the [codecs] provider,
         * applied by [evolver] `(state, event) -> newState`.
         */
        public fun <E : Any> on(eventClass: Class<E>, name: String, evolver: Evolver<S, E>): Builder<S> = apply {
            registrations += { builder, codecs -> builder.on(eventClass, name, readable(codecs().codecFor(eventClass), eventClass, name), evolver) }
        }

        /** Registers [eventClass] under [name] with an explicit [codec]. */
        public fun <E : Any> on(eventClass: Class<E>, name: String, codec: Codec<E>, evolver: Evolver<S, E>): Builder<S> = apply {
            registrations += { builder, _ -> builder.on(eventClass, name, readable(codec, eventClass, name), evolver) }
        }

        /** Sets the provider of event and state codecs. Default: [JacksonCodec.provider] (needs jackson-databind). */
        public fun codecs(codecs: CodecProvider): Builder<S> = apply { this.codecs = codecs }

        /**
         * Sets the state codec used by snapshots and distributed caches; `null` for none. Default: the
         * [codecs] provider's codec for the state class.
         */
        public fun stateCodec(codec: Codec<S>?): Builder<S> = apply {
            stateCodec = codec
            stateCodecSet = true
        }

        /** Sets the generator of new aggregate ids. Default: UUIDv7 on the system clock. */
        public fun idGenerator(generator: IdGenerator): Builder<S> = apply { idGenerator = generator }

        /**
         * Builds the definition.
         *
         * @throws InvalidInputException when the type name is invalid, no initial state or no event is registered,
         *   a name or class is registered twice, a default codec is needed and jackson-databind is missing, or
         *   an event class has a Jackson codec that could write it but not read it back (no no-argument
         *   constructor and no creator); the message says what to add.
         */
        public fun build(): AggregateDefinition<S> {
            val builder = AggregateDefinition.builder<S>(type)
            initial?.let { builder.initial(it) }
            val provider = lazy { codecs ?: DefaultCodecs.provider(type) }
            for (registration in registrations) registration(builder) { provider.value }
            val state = when {
                stateCodecSet -> stateCodec
                codecs != null || DefaultCodecs.jacksonPresent -> provider.value.codecFor(stateClass)
                else -> null
            }
            builder.stateCodec(state)
            idGenerator?.let { builder.idGenerator(it) }
            return builder.build()
        }

        /**
         * Refuses an event class that [codec] (a [JacksonCodec]) could store but never read back: saving
         * it would leave an aggregate that can never load again (facade test: `UnreadableEventTest`).
         */
        private fun <E : Any> readable(codec: Codec<E>, eventClass: Class<E>, name: String): Codec<E> {
            val reason = (codec as? JacksonCodec<*>)?.unreadableReason() ?: return codec
            throw InvalidInputException("aggregate '$type': event class ${eventClass.name} (registered as '$name') cannot be used: $reason")
        }
    }
}

/** Finds the default codec provider without touching Jackson classes unless they are present. */
internal object DefaultCodecs {
    val jacksonPresent: Boolean by lazy {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, DefaultCodecs::class.java.classLoader)
            true
        } catch (e: ClassNotFoundException) {
            false
        }
    }

    fun provider(aggregateType: String): CodecProvider {
        if (!jacksonPresent) {
            throw InvalidInputException(
                "aggregate '$aggregateType' registers events without a codec and jackson-databind is not on the " +
                    "class path: add com.fasterxml.jackson.core:jackson-databind, or pass codecs(...) or a codec per event",
            )
        }
        return JacksonCodec.provider()
    }
}
