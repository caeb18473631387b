package dev.estoria.bench

import dev.estoria.bench.scenario.LatencySetup
import dev.estoria.bench.targets.StoreTarget
import dev.estoria.bench.targets.Target
import kotlinx.coroutines.CoroutineScope

/**
 * One backend section of a run: its stores (built by [Stores] from the section's variant), the baselines
 * measured beside the store in the same rounds, and how to set up the latency probe (on tables or a file
 * of its own). [close] releases everything the section opened. [standIn]: the server is a stand-in whose
 * costs grow with its data (mongo-java-server scans its collections): no warm-up passes (their data would slow
 * every later query) and the profile's smaller [Profile.forStandIn] workloads. [serverCpu]: the CPU nanoseconds
 * its database server has used so far, when it is a separate process this run started ([ServerCpu]).
 */
class Backend(
    val name: String,
    val note: String,
    val stores: BenchStores,
    val baselines: List<Target<*>>,
    val latency: suspend (CoroutineScope) -> LatencySetup,
    private val closers: List<AutoCloseable>,
    val standIn: Boolean = false,
    val serverCpu: (() -> Long?)? = null,
) : AutoCloseable {
    val store: Target<*> = StoreTarget(stores.events)

    override fun close() {
        for (c in closers.reversed()) runCatching { c.close() }
    }
}
