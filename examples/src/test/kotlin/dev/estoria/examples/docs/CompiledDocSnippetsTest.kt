package dev.estoria.examples.docs

import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.extension
import kotlin.io.path.name
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The code blocks of README.md, the module READMEs and `docs/` are code that builds: a block preceded by
 * `<!-- compiled: path/to/File.kt -->` must stand verbatim in that source file, which CI compiles (and whose
 * tests it runs), and every Kotlin or Java block must carry such a marker (or the Java quick start's
 * `<!-- java-quick-start: … -->`, compiled and run by java-facade's `ReadmeQuickStartTest`, or a
 * `<!-- not compiled: reason -->` saying why it cannot be, as for a Gradle build script), so a block a
 * reader copies is never one nobody compiled.
 */
class CompiledDocSnippetsTest {
    private val root = Path.of("..")
    private val marked = Regex("<!-- compiled: (\\S+) -->\\s*```\\w*\\n(.*?)```", RegexOption.DOT_MATCHES_ALL)
    private val codeFence = Regex("^```(kotlin|kt|kts|java)\\s*$", RegexOption.MULTILINE)
    private val accepted = Regex("^<!-- (compiled: \\S+|java-quick-start: .+|not compiled: .{10,}) -->$")

    /**
     * Pages whose blocks are not marked yet, each with the reason. An entry whose page has no unmarked block
     * left fails the test (a stale entry), so the list only shrinks.
     */
    private val notYetMarked = mapOf<String, String>()

    private fun pages(): List<Path> {
        val docs = Files.list(root.resolve("docs")).use { files -> files.filter { it.extension == "md" }.toList() }
        val modules = Files.list(root).use { dirs -> dirs.map { it.resolve("README.md") }.filter { Files.exists(it) }.toList() }
        return (docs + modules + listOf(root.resolve("README.md"))).distinct() // a Path is an Iterable of its names: wrap it
    }

    private fun Path.label(): String = "${parent?.fileName ?: ""}/$name"

    @Test
    fun `every compiled snippet in the docs stands verbatim in its source file`() {
        var checked = 0
        val stale = ArrayList<String>()
        for (page in pages()) {
            for (match in marked.findAll(Files.readString(page))) {
                val (path, code) = match.destructured
                val source = root.resolve(path)
                checked++
                if (!Files.exists(source) || !Files.readString(source).contains(code)) stale += "${page.label()} → $path:\n$code"
            }
        }
        assertTrue(checked > 0, "no compiled snippet found in docs/ or README.md")
        assertEquals(emptyList(), stale, "docs snippets that no longer match their sources")
    }

    @Test
    fun `every Kotlin and Java block in the docs is compiled, or says why it cannot be`() {
        var blocks = 0
        val unmarked = ArrayList<String>()
        val excused = HashSet<String>()
        for (page in pages()) {
            val text = Files.readString(page)
            val label = page.label()
            var inside = false // a fence opens, the next one closes: only opening fences are code blocks
            for (fence in Regex("^```.*$", RegexOption.MULTILINE).findAll(text)) {
                inside = !inside
                if (!inside || !codeFence.matches(fence.value)) continue
                blocks++
                val before = text.substring(0, fence.range.first).trimEnd().substringAfterLast('\n').trim()
                if (!accepted.matches(before)) {
                    val line = text.substring(0, fence.range.first).count { it == '\n' } + 1
                    if (label in notYetMarked) excused += label else unmarked += "$label:$line (preceded by \"$before\")"
                }
            }
            assertTrue(!inside, "$label has an unclosed code fence")
        }
        assertTrue(blocks > 0, "no Kotlin or Java block found in docs/ or README.md")
        assertEquals(emptyList(), unmarked, "Kotlin/Java blocks without a <!-- compiled: path --> marker")
        assertEquals(notYetMarked.keys, excused, "stale entries in notYetMarked: their pages are all marked now")
    }
}
