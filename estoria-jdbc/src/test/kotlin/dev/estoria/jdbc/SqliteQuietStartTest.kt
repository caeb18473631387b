package dev.estoria.jdbc

import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * A correct schema logs nothing: opening a SQLite file (new, then again with its tables in place, in
 * both schema modes) must not print Exposed's "Modifying an existing column definition with ALTER TABLE
 * is not supported in SQLite" warning or its timing lines. A warning on every start teaches users to
 * ignore warnings. slf4j-simple (the test binding) writes to the current `System.err`, captured here.
 */
class SqliteQuietStartTest {
    @Test
    fun `opening a SQLite file with a correct schema logs no Exposed warning or info line`() {
        val file = Files.createTempDirectory("estoria-quiet").resolve("quiet.db")
        val logged = capturingStderr {
            SqliteEventStore.file(file).use { store -> runBlocking { store.appendStream(TypeId.new("quiet"), listOf(Tck.event(1))) } }
            SqliteEventStore.file(file).close()
            SqliteEventStore.file(file, JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build()).close()
        }
        assertEquals(emptyList(), logged.lines().filter { "Exposed" in it })
    }

    @Test
    fun `a SQLite table that lost a column is still refused, naming the column`() {
        val file = Files.createTempDirectory("estoria-quiet").resolve("altered.db")
        SqliteEventStore.file(file).close()
        SqliteEventStore.dataSource(file).connection.use { it.createStatement().execute("ALTER TABLE estoria_events DROP COLUMN content_type") }
        val e = assertFailsWith<StoreException> {
            SqliteEventStore.file(file, JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build())
        }
        assertTrue("estoria_events.content_type" in e.message.orEmpty(), e.message)
    }

    private fun capturingStderr(block: () -> Unit): String {
        val original = System.err
        val buffer = ByteArrayOutputStream()
        System.setErr(PrintStream(buffer, true, Charsets.UTF_8))
        try {
            block()
        } finally {
            System.setErr(original)
        }
        return buffer.toString(Charsets.UTF_8)
    }
}
