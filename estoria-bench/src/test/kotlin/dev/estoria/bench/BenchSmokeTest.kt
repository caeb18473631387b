package dev.estoria.bench

import dev.estoria.testkit.servers.postgres.PostgresTestServer
import dev.estoria.testkit.servers.redis.RedisTestServer
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The `tiny` profile end to end on every backend (PostgreSQL with Axon's engine beside it): every
 * scenario yields a finite positive ratio to each of its baselines, every aggregate length and mode (Caffeine
 * and Redis cache hits included) a load time, every backend a latency, and the four report files are written. Figures are not judged:
 * the tiny profile's numbers mean nothing, only that the benchmark runs and reports what it measured.
 */
class BenchSmokeTest {
    @Test
    fun `the tiny profile measures every scenario on every backend and writes the four reports`(@TempDir dir: Path) {
        PostgresTestServer.require()
        RedisTestServer.url() // the cache-hit loads' Redis: skips (or fails when required) as the other suites do
        val backends = listOf("memory", "sqlite", "postgres", "mongo")
        val run = BenchMain.run(Profile.tiny, backends, listOf(Variant.DEFAULT), withAxon = true)

        assertEquals(emptyMap(), run.skipped, "no backend may be skipped")
        val scenarios = BenchMain.workloads(Profile.tiny).size
        for (backend in backends) {
            val rows = run.throughput.filter { it.backend == backend }
            assertTrue(rows.map { it.scenario }.toSet().size == scenarios, "$backend: every scenario measured, got ${rows.map { it.scenario }}")
            for (row in rows) {
                assertTrue(row.ratios.isNotEmpty(), "$backend ${row.scenario}: a ratio to a baseline")
                row.ratios.forEach { (role, r) -> assertTrue(r.median.isFinite() && r.median > 0, "$backend ${row.scenario} vs $role: ${r.median}") }
            }
            val loads = run.aggregates.filter { it.backend == backend }
            assertEquals(Profile.tiny.aggregateLengths.toSet(), loads.map { it.length }.toSet(), "$backend: every aggregate length")
            assertTrue(loads.all { it.millis.median > 0 }, "$backend: load times")
            assertEquals(
                setOf("replay", "snapshots every 100", "cache hit (Caffeine)", "cache hit (Redis)"),
                loads.map { it.mode }.toSet(),
                "$backend: every load mode",
            )
            assertEquals(1, run.latency.count { it.backend == backend }, "$backend: a commit-to-handler latency")
        }
        assertTrue(run.throughput.filter { it.backend == "postgres" && it.appends }.all { "axon" in it.ratios }, "Axon beside every PostgreSQL append scenario")
        // the embedded PostgreSQL's CPU is measured per pass and per role; in-process backends have no server figure
        assertTrue(run.throughput.filter { it.backend == "postgres" }.all { r -> r.roles.all { it.serverCpuMicrosPerEvent != null } }, "server CPU on PostgreSQL")
        assertTrue(run.throughput.filter { it.backend != "postgres" }.all { r -> r.roles.all { it.serverCpuMicrosPerEvent == null } }, "no server CPU elsewhere")
        // the embedded PostgreSQL is not a child of this JVM: its CPU must still be counted as the server's, not as noise
        assertTrue(run.noise.serverCores > 0.0, "the PostgreSQL server's CPU is measured: ${run.noise}")

        BenchMain.write(run, dir)
        val json = Json.parseToJsonElement(Files.readString(dir.resolve("results.json"))).jsonObject
        assertTrue("throughput" in json && "machine" in json, "results.json holds the figures and the noise")
        assertTrue(Files.readString(dir.resolve("results.md")).contains("postgres"), "results.md")
        for (svg in listOf("throughput.svg", "aggregate-load.svg")) assertTrue(Files.readString(dir.resolve(svg)).startsWith("<svg"), svg)
    }
}
