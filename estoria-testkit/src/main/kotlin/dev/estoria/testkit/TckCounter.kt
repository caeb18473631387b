package dev.estoria.testkit

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregate.aggregate
import dev.estoria.codec.Codec
import dev.estoria.codec.jsonCodec
import dev.estoria.id.TypeId
import kotlinx.serialization.Serializable

/**
 * The aggregate state the kit uses: a counter with a label.
 *
 * @property id the text form of the aggregate's [TypeId].
 * @property value the counter's value: the sum of the [Added] amounts applied (0 for a new counter).
 * @property label the counter's label, set by the latest [Labelled] event (empty for a new counter).
 */
@Serializable
public data class TckCounter(public val id: String, public val value: Long = 0, public val label: String = "") {
    /** Events of the kit's counter. */
    public sealed interface Event

    /** Adds [amount] to the counter. */
    @Serializable
    public data class Added(public val amount: Long) : Event

    /**
     * Renames the counter.
     *
     * @property label the new label.
     */
    @Serializable
    public data class Labelled(public val label: String) : Event

    /** Definitions and codecs. */
    public companion object {
        /** The aggregate type name used by the kit. */
        public const val TYPE: String = "tck_counter"

        /** The JSON codec of the state. */
        public val codec: Codec<TckCounter> = jsonCodec()

        /** The counter's definition. */
        public val definition: AggregateDefinition<TckCounter> = aggregate(TYPE) {
            initial { id: TypeId -> TckCounter(id.toString()) }
            on<Added>("added") { e -> copy(value = value + e.amount) }
            on<Labelled>("labelled") { e -> copy(label = e.label) }
        }
    }
}
