package dev.estoria.bench.scenario

import dev.estoria.aggregate.aggregate
import dev.estoria.id.TypeId
import kotlinx.serialization.Serializable

/** The aggregate the load scenarios replay: a running count and total (its state is small, so a snapshot is cheap). */
@Serializable
data class Tally(val id: String, val count: Long = 0, val total: Long = 0)

/** One event of a [Tally]; its JSON is about 200 bytes, like the other scenarios' payloads. */
@Serializable
data class Counted(val amount: Long, val note: String)

/** A note that makes a [Counted]'s JSON about 200 bytes. */
val countedNote: String = "n".repeat(179)

/** The definition, with the DSL an application uses (docs/aggregates-and-layers.md). */
val Tallies = aggregate<Tally>("bench_tally") {
    initial { id: TypeId -> Tally(id.toString()) }
    on<Counted>("counted") { e -> copy(count = count + 1, total = total + e.amount) }
}
