package dev.estoria.bench.report

import dev.estoria.bench.scenario.Spread

/** The run as Markdown (`results.md`): the ratio tables first, then absolute figures, CPU, loads, latency and noise. */
object MarkdownReport {
    private fun ratio(s: Spread?) = s?.let { "%.2f (%.2f–%.2f)".format(it.median, it.min, it.max) } ?: "–"
    private fun rate(s: Spread?) = s?.let { "%,.0f".format(it.median) } ?: "–"
    private fun cpu(s: Spread?) = s?.let { "%.1f".format(it.median) } ?: "–"

    fun render(run: RunResult): String = buildString {
        val n = run.noise
        appendLine("# estoria-bench results (profile `${run.profile}`, store variants: ${run.variants.joinToString()})")
        appendLine()
        appendLine("Run started ${run.startedAt}; ${n.cores} cores; ${n.jdk}; PostgreSQL: ${run.postgresVersion ?: "not run"}.")
        appendLine("Machine noise over the run (%.0f s): CPU used by other processes %s cores (machine %s, this process %.2f, its database children %.2f); load average %.2f.".format(
            n.wallSeconds, n.otherCores?.let { "%.2f".format(it) } ?: "n/a", n.machineCores?.let { "%.2f".format(it) } ?: "n/a", n.benchCores, n.serverCores, n.loadAverage))
        appendLine()
        for ((name, note) in run.backends) appendLine("* **$name**: $note")
        for ((name, why) in run.skipped) appendLine("* **$name**: skipped ($why)")
        appendLine()
        appendLine("## Throughput: store / baseline (median of the rounds' ratios, min–max)")
        appendLine()
        appendLine("| backend | scenario | store callers | store / raw | store / Axon | store ev/s | raw ev/s | Axon ev/s | client CPU µs/event store · raw · Axon | server CPU µs/event store · raw · Axon |")
        appendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for (r in run.throughput) {
            val roles = r.roles.associateBy { it.role }
            val cpuCell = if (r.appends) listOf("store", "raw", "axon").joinToString(" · ") { cpu(roles[it]?.cpuMicrosPerEvent) } else "–"
            val serverCell = if (r.appends && roles.values.any { it.serverCpuMicrosPerEvent != null }) {
                listOf("store", "raw", "axon").joinToString(" · ") { cpu(roles[it]?.serverCpuMicrosPerEvent) }
            } else {
                "–"
            }
            appendLine("| ${r.backend} | ${r.title} | ${r.caller} | ${ratio(r.ratios["raw"])} | ${ratio(r.ratios["axon"])} | ${rate(roles["store"]?.rate)} | ${rate(roles["raw"]?.rate)} | ${rate(roles["axon"]?.rate)} | $cpuCell | $serverCell |")
        }
        appendLine()
        appendLine("## Aggregate load time against stream length (ms per load; baseline: the replay without snapshots)")
        appendLine()
        val modes = run.aggregates.map { it.mode }.distinct().filter { it != "replay" }
        appendLine("| backend | events | replay ms | ${modes.joinToString(" | ") { "$it: ms (of replay)" }} |")
        appendLine("|---|---:|---:|${modes.joinToString("") { "---:|" }}")
        for ((key, rows) in run.aggregates.groupBy { it.backend to it.length }) {
            val byMode = rows.associateBy { it.mode }
            fun cell(mode: String) = byMode[mode]?.let { "%.3f (%.1f%%)".format(it.millis.median, 100 * it.vsReplay) } ?: "–"
            val replay = "%.3f".format(byMode["replay"]?.millis?.median ?: Double.NaN)
            appendLine("| ${key.first} | ${"%,d".format(key.second)} | $replay | ${modes.joinToString(" | ") { cell(it) }} |")
        }
        appendLine()
        appendLine("## Commit-to-handler latency of the projection processor")
        appendLine()
        appendLine("| backend | wake-up | events | p50 ms | p99 ms | max ms |")
        appendLine("|---|---|---:|---:|---:|---:|")
        for (l in run.latency) appendLine("| ${l.backend} | ${l.wake} | ${l.events} | ${"%.2f".format(l.p50)} | ${"%.2f".format(l.p99)} | ${"%.2f".format(l.max)} |")
    }
}
