package dev.estoria.examples.docs

import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.extension
import kotlin.io.path.name
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A code block in `docs/` or in README.md (its install section) that is preceded by `<!-- compiled: path/to/File.kt -->` must stand verbatim in
 * that source file, which CI compiles (and whose tests it runs): the page shows code that builds.
 */
class CompiledDocSnippetsTest {
    private val root = Path.of("..")
    private val marked = Regex("<!-- compiled: (\\S+) -->\\s*```\\w*\\n(.*?)```", RegexOption.DOT_MATCHES_ALL)

    @Test
    fun `every compiled snippet in the docs stands verbatim in its source file`() {
        val pages = Files.list(root.resolve("docs")).use { files -> files.filter { it.extension == "md" }.toList() } +
            listOf(root.resolve("README.md")) // a Path is an Iterable of its names: wrap it
        var checked = 0
        val stale = ArrayList<String>()
        for (page in pages) {
            for (match in marked.findAll(Files.readString(page))) {
                val (path, code) = match.destructured
                val source = root.resolve(path)
                checked++
                if (!Files.exists(source) || !Files.readString(source).contains(code)) stale += "${page.name} → $path:\n$code"
            }
        }
        assertTrue(checked > 0, "no compiled snippet found in docs/ or README.md")
        assertEquals(emptyList(), stale, "docs snippets that no longer match their sources")
    }
}
