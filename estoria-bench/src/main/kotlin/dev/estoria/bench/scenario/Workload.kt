package dev.estoria.bench.scenario

import dev.estoria.bench.targets.Target

/**
 * One throughput scenario. [bind] prepares what the scenario needs on a target (the streams a read
 * scenario reads, written by that target itself) and returns one measured pass: it runs the work from
 * the given callers and returns the number of events appended or read.
 */
interface Workload {
    val id: String
    val title: String

    /** Whether the events are appended (client CPU per appended event is reported for these). */
    val appends: Boolean

    /** The callers the store is measured from (one result row each). */
    val callers: List<Caller>

    fun <K> bind(target: Target<K>): (Caller) -> Long
}

/** The three kinds of caller, for the concurrent scenarios. */
val allCallers: List<Caller> = listOf(Caller.DEFAULT, Caller.IO, Caller.THREADS)
