package dev.estoria.bench.report

import dev.estoria.bench.scenario.AggregateResult
import dev.estoria.bench.scenario.LatencyResult
import dev.estoria.bench.scenario.ThroughputResult

/** Everything one run measured, with what it ran on; [skipped] names each backend that could not run and why. */
data class RunResult(
    val profile: String,
    val variants: List<String>,
    val startedAt: String,
    val backends: Map<String, String>,
    val postgresVersion: String?,
    val noise: Machine.Noise,
    val throughput: List<ThroughputResult>,
    val aggregates: List<AggregateResult>,
    val latency: List<LatencyResult>,
    val skipped: Map<String, String>,
)
