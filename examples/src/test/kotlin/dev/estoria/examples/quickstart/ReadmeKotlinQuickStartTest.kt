package dev.estoria.examples.quickstart

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path
import kotlin.test.assertTrue

/** The Kotlin quick start of README.md is QuickStart.kt verbatim, so it compiles as written; and it runs. */
class ReadmeKotlinQuickStartTest {
    @Test
    fun `the README quick start is the compiled QuickStart source, and it runs`() {
        val readme = Files.readString(Path.of("..", "README.md"))
        val section = readme.indexOf("## Quick start (Kotlin)")
        assertTrue(section >= 0, "README.md lost its Kotlin quick start")
        val block = Regex("```kotlin\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).find(readme, section)?.groupValues?.get(1)
        val source = Files.readString(Path.of("src/main/kotlin/dev/estoria/examples/quickstart/QuickStart.kt"))
        assertTrue(block != null && source.endsWith(block), "README's Kotlin quick start differs from QuickStart.kt")

        val db = Path.of("bank.db")
        val out = ByteArrayOutputStream()
        val original = System.out
        System.setOut(PrintStream(out, true))
        try {
            runBlocking { main() }
        } finally {
            System.setOut(original)
            for (suffix in listOf("", "-wal", "-shm")) Files.deleteIfExists(Path.of("bank.db$suffix"))
        }
        val printed = out.toString()
        assertTrue("owner=Ada, balance=110)" in printed, printed)
        assertTrue("3 deposited" in printed, printed)
        assertTrue(!Files.exists(db))
    }
}
