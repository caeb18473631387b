package dev.estoria.bench

import dev.estoria.bench.report.JsonReport
import dev.estoria.bench.report.Machine
import dev.estoria.bench.report.MarkdownReport
import dev.estoria.bench.report.RunResult
import dev.estoria.bench.report.SvgCharts
import dev.estoria.bench.scenario.AggregateLoads
import dev.estoria.bench.scenario.AggregateResult
import dev.estoria.bench.scenario.DistinctStreams
import dev.estoria.bench.scenario.Latency
import dev.estoria.bench.scenario.LatencyResult
import dev.estoria.bench.scenario.OneStream
import dev.estoria.bench.scenario.ReadMany
import dev.estoria.bench.scenario.ReadOne
import dev.estoria.bench.scenario.Runner
import dev.estoria.bench.scenario.Sequential
import dev.estoria.bench.scenario.ThroughputResult
import dev.estoria.bench.scenario.Workload
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.job
import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Instant
import kotlin.system.exitProcess

/**
 * The benchmark: `BenchMain [quick|full|tiny] [results-dir]` (docs/benchmarks.md, section estoria-bench).
 * System properties: `bench.backends` (default `memory,sqlite,postgres,mongo`), `bench.variants` (store
 * variants, [Variant]; default `default`), `bench.axon` (default `true`: Axon's JDBC engine beside the
 * PostgreSQL store), `bench.scenarios` (throughput scenario ids, comma-separated; default all),
 * `bench.loads` (default `true`: the aggregate loads and the latency probe). Writes `results.json`, `results.md`, `throughput.svg` and `aggregate-load.svg`.
 */
object BenchMain {
    @JvmStatic
    fun main(args: Array<String>) {
        // before the first logger: the servers' INFO lines would bury the figures
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn")
        val profile = Profile.named(args.getOrElse(0) { "quick" })
        val out = Paths.get(args.getOrElse(1) { "target/bench" })
        val run = run(
            profile,
            System.getProperty("bench.backends", "memory,sqlite,postgres,mongo").split(',').map { it.trim() }.filter { it.isNotEmpty() },
            System.getProperty("bench.variants", "default").split(',').map { Variant.parse(it.trim()) },
            System.getProperty("bench.axon", "true").toBoolean(),
            System.getProperty("bench.scenarios", "").split(',').map { it.trim() }.filter { it.isNotEmpty() }.toSet(),
            System.getProperty("bench.loads", "true").toBoolean(),
        )
        write(run, out)
        println("results in ${out.toAbsolutePath()}")
        exitProcess(0) // the embedded servers' threads would keep the JVM alive
    }

    /** The workloads of [profile], in report order. */
    fun workloads(profile: Profile): List<Workload> = listOf(
        Sequential("seq-1", "a. 1 event per append, 1 writer", 1, profile.sequential1),
        Sequential("seq-10", "b. 10 events per append, 1 writer", 10, profile.sequential10),
        DistinctStreams(8, profile.concurrentPerWriter),
        DistinctStreams(32, maxOf(1, profile.concurrentPerWriter / 2)),
        OneStream(8, profile.contendedPerWriter),
        ReadOne(profile.readStreamEvents, passes = 2),
        ReadMany(profile.readManyStreams, 1),
        ReadMany(profile.readManyStreams, 8),
        Sequential("bulk-1000", "bulk: 1,000 events per append", 1_000, profile.bulkAppends),
    )

    /** Runs every backend × variant section of [profile] and returns the figures (nothing written). */
    fun run(
        profile: Profile,
        kinds: List<String>,
        variants: List<Variant>,
        withAxon: Boolean,
        /** Ids of the throughput scenarios to run ([Workload.id]); empty: all. */
        scenarios: Set<String> = emptySet(),
        /** Whether the aggregate loads and the commit-to-handler latency run. */
        loadsAndLatency: Boolean = true,
    ): RunResult {
        val unknown = scenarios - workloads(profile).map { it.id }.toSet()
        require(unknown.isEmpty()) { "unknown scenarios $unknown (known: ${workloads(profile).joinToString { it.id }})" }
        val log: (String) -> Unit = { println(it) }
        val started = Instant.now().toString()
        val machine = Machine.start()
        val throughput = ArrayList<ThroughputResult>()
        val aggregates = ArrayList<AggregateResult>()
        val latency = ArrayList<LatencyResult>()
        val notes = LinkedHashMap<String, String>()
        val skipped = LinkedHashMap<String, String>()
        val runner = Runner(profile.rounds, log)
        var postgresVersion: String? = null
        val warmed = HashSet<String>()
        Backends(withAxon).use { backends ->
            for (variant in variants) for (kind in kinds) {
                val backend = try {
                    backends.open(kind, variant)
                } catch (e: Exception) {
                    skipped["$kind[$variant]"] = e.toString()
                    log("$kind[$variant]: skipped ($e)")
                    continue
                }
                val sectionStarted = System.nanoTime()
                backend.use { b ->
                    log("${b.name}: ${b.note}")
                    notes[b.name] = b.note
                    if (kind == "postgres") postgresVersion = backends.postgresVersion()
                    val p = if (b.standIn) profile.forStandIn() else profile
                    val selected = workloads(p).filter { scenarios.isEmpty() || it.id in scenarios }
                    if (warmed.add(kind) && p.warmUpSeconds > 0) {
                        log("  warming up for ${p.warmUpSeconds} s (not measured)")
                        runner.warmUp(selected, b.store, b.baselines, p.warmUpSeconds)
                    }
                    for (w in selected) throughput += runner.measure(b.name, w, b.store, b.baselines, b.serverCpu)
                    if (!loadsAndLatency) return@use
                    aggregates += AggregateLoads(p.aggregateLengths, p.aggregateLoads, distributedCaches(backends, notes, skipped), log).measure(b.name, b.stores)
                    latency += runBlocking(Dispatchers.Default) {
                        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
                        try {
                            Latency(p.latencyEvents).measure(b.name, b.latency(scope), scope)
                        } finally {
                            scope.coroutineContext.job.cancelAndJoin()
                        }
                    }.also { log("  latency (%s): p50 %.2f ms, p99 %.2f ms".format(it.wake, it.p50, it.p99)) }
                }
                log("%s[%s]: section took %.0f s".format(kind, variant, (System.nanoTime() - sectionStarted) / 1e9))
            }
        }
        return RunResult(profile.name, variants.map { it.name }, started, notes, postgresVersion, machine.finish(), throughput, aggregates, latency, skipped)
    }

    /** The Redis cache for the aggregate loads, or none (and why, in [skipped]) when no Redis server resolves. */
    private fun distributedCaches(backends: Backends, notes: MutableMap<String, String>, skipped: MutableMap<String, String>) =
        if ("redis" in skipped) {
            emptyList()
        } else {
            try {
                listOf(backends.redisCache()).also { notes["redis"] = "Redis ${backends.redisSource()}: the cache-hit loads' distributed cache" }
            } catch (e: Exception) {
                skipped["redis"] = e.toString()
                emptyList()
            }
        }

    /** Writes `results.json`, `results.md`, `throughput.svg` and `aggregate-load.svg` into [dir]. */
    fun write(run: RunResult, dir: Path) {
        Files.createDirectories(dir)
        Files.writeString(dir.resolve("results.json"), JsonReport.render(run))
        Files.writeString(dir.resolve("results.md"), MarkdownReport.render(run))
        Files.writeString(dir.resolve("throughput.svg"), SvgCharts.throughput(run))
        Files.writeString(dir.resolve("aggregate-load.svg"), SvgCharts.aggregateLoads(run))
    }
}
