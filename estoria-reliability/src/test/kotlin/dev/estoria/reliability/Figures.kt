package dev.estoria.reliability

import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.atomic.AtomicLong
import kotlin.io.path.extension
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.readText
import kotlin.io.path.writeText

/**
 * The figures one reliability test measured on one backend, written to `target/reliability/<test>-<backend>.json`
 * by [Figures.record]; [Figures.render] turns every file there into the summary table of docs/reliability.md.
 */
@Serializable
data class Figure(
    val test: String,
    val backend: String,
    val injects: String,
    val mode: String,
    val cases: Long,
    val faults: Long,
    val eventsChecked: Long,
    val lost: Long,
    val duplicated: Long,
    val skipped: Long,
    val misordered: Long,
    val seconds: Double,
    val notes: Map<String, Long> = emptyMap(),
)

/** Counters a test fills while it runs; [record] asserts nothing, the test asserts its own invariants. */
class Tally(val test: String, val backend: String, val injects: String) {
    private val started = System.nanoTime()
    val cases = AtomicLong()
    val faults = AtomicLong()
    val eventsChecked = AtomicLong()
    val lost = AtomicLong()
    val duplicated = AtomicLong()
    val skipped = AtomicLong()
    val misordered = AtomicLong()
    private val notes = java.util.concurrent.ConcurrentHashMap<String, AtomicLong>()

    /** Adds [n] to the free-form counter [name] (errors by type, retries, conflicts, …). */
    fun note(name: String, n: Long = 1) {
        notes.computeIfAbsent(name) { AtomicLong() }.addAndGet(n)
    }

    fun count(name: String): Long = notes[name]?.get() ?: 0

    fun figure(): Figure = Figure(
        test, backend, injects, Scale.mode, cases.get(), faults.get(), eventsChecked.get(), lost.get(), duplicated.get(),
        skipped.get(), misordered.get(), (System.nanoTime() - started) / 1e9, notes.mapValues { it.value.get() }.toSortedMap(),
    )
}

object Figures {
    private val json = Json { prettyPrint = true }

    /** Where the figures go: `target/reliability` of this module (set by the pom), or `./target/reliability`. */
    val dir: Path = Paths.get(System.getProperty("estoria.reliability.dir") ?: "target/reliability")

    /** Writes [tally]'s figures and re-renders `summary.md` from every figure file present. */
    @Synchronized
    fun record(tally: Tally): Figure {
        val figure = tally.figure()
        Files.createDirectories(dir)
        dir.resolve("${figure.test}-${figure.backend}".replace(Regex("[^A-Za-z0-9_.+-]+"), "_") + ".json").writeText(json.encodeToString(Figure.serializer(), figure))
        dir.resolve("summary.md").writeText(render(load()))
        println("[reliability] $figure")
        return figure
    }

    /** Every figure recorded in [dir], sorted by test and backend. */
    fun load(): List<Figure> =
        if (!Files.isDirectory(dir)) emptyList()
        else dir.listDirectoryEntries().filter { it.extension == "json" }
            .map { json.decodeFromString(Figure.serializer(), it.readText()) }
            .sortedWith(compareBy({ it.test }, { it.backend }))

    /** The summary table (Markdown) of [figures]. */
    fun render(figures: List<Figure>): String = buildString {
        appendLine("| test | backend | mode | injects | cases | faults | events checked | lost | duplicated | skipped | misordered | seconds | details |")
        appendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for (f in figures) {
            val details = f.notes.entries.joinToString(", ") { "${it.key}: ${it.value}" }
            appendLine(
                "| ${f.test} | ${f.backend} | ${f.mode} | ${f.injects} | ${f.cases} | ${f.faults} | ${f.eventsChecked} | " +
                    "${f.lost} | ${f.duplicated} | ${f.skipped} | ${f.misordered} | ${"%.1f".format(f.seconds)} | $details |",
            )
        }
    }
}

/** Prints the summary table of the last run (`target/reliability`), for pasting into docs/reliability.md. */
fun main() {
    print(Figures.render(Figures.load()))
}
