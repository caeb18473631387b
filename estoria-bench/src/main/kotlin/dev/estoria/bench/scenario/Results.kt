package dev.estoria.bench.scenario

/** The median and spread (min–max over the measured rounds) of one figure. */
data class Spread(val median: Double, val min: Double, val max: Double) {
    companion object {
        fun of(values: List<Double>): Spread {
            require(values.isNotEmpty()) { "no values" }
            val sorted = values.sorted()
            val mid = sorted.size / 2
            val median = if (sorted.size % 2 == 1) sorted[mid] else (sorted[mid - 1] + sorted[mid]) / 2
            return Spread(median, sorted.first(), sorted.last())
        }
    }
}

/**
 * One target's figures in one throughput scenario: events/s, client CPU (µs of this process) per event, and
 * the database server's CPU per event when this run started the server (null otherwise).
 */
data class RoleFigures(val role: String, val rate: Spread, val cpuMicrosPerEvent: Spread, val serverCpuMicrosPerEvent: Spread? = null)

/** One throughput scenario on one backend and caller: each role's figures and the store's ratios to the baselines. */
data class ThroughputResult(
    val backend: String,
    val scenario: String,
    val title: String,
    val caller: String,
    val appends: Boolean,
    val roles: List<RoleFigures>,
    /** store/raw and store/axon per round, keyed by the baseline's role. */
    val ratios: Map<String, Spread>,
)

/** Aggregate load times (ms per load) of one stream length and mode, and the ratio to the plain replay of that length. */
data class AggregateResult(val backend: String, val mode: String, val length: Int, val millis: Spread, val vsReplay: Double)

/** Commit-to-handler latency of a live projection processor on one backend. */
data class LatencyResult(val backend: String, val wake: String, val events: Int, val p50: Double, val p99: Double, val max: Double)
