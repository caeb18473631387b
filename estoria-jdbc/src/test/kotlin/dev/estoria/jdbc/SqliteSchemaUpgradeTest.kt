package dev.estoria.jdbc

import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.sql.DriverManager
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * An SQLite file provisioned by a release with the events schema at version 1 (no `last_position` on the
 * streams rows) keeps working: validation names the fix, creation upgrades it in place and fills
 * `last_position` with each stream's highest stored position, and appends continue the stream.
 */
class SqliteSchemaUpgradeTest {
    @Test
    fun `a version-1 SQLite events schema is reported by validation and upgraded in place by creation`(): Unit = runBlocking {
        val file = TestDatabases.sqliteDir.resolve("upgrade-" + UUID.randomUUID().toString().take(8) + ".db")
        val stream = TypeId.new("old")
        DriverManager.getConnection("jdbc:sqlite:$file").use { c ->
            c.createStatement().use {
                for (sql in listOf(
                    "CREATE TABLE estoria_schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, installed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
                    "CREATE TABLE estoria_streams (stream_id TEXT PRIMARY KEY, stream_version INTEGER NOT NULL)",
                    "CREATE TABLE estoria_events (global_position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, " +
                        "stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL, type TEXT NOT NULL, created_at INTEGER NOT NULL, " +
                        "content_type TEXT NOT NULL, metadata TEXT NOT NULL, data BLOB NOT NULL, UNIQUE (stream_id, stream_version))",
                    "INSERT INTO estoria_schema_version (component, version) VALUES ('events', 1)",
                    "INSERT INTO estoria_streams VALUES ('$stream', 2)",
                    "INSERT INTO estoria_events (global_position, event_id, stream_id, stream_version, type, created_at, content_type, metadata, data) " +
                        "VALUES (7, '${TypeId.new("e")}', '$stream', 1, 'e', 0, '', '{}', x''), (9, '${TypeId.new("e")}', '$stream', 2, 'e', 0, '', '{}', x'')",
                )) it.execute(sql)
            }
        }
        val validate = JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build()
        val refused = assertFailsWith<StoreException> { SqliteEventStore.file(file, validate) }
        val message = refused.message.orEmpty()
        assertTrue("version 1" in message && "SchemaMode.CREATE" in message && "last_position" in message, message)

        val store = SqliteEventStore.file(file)
        SqliteEventStore.file(file, validate)
        DriverManager.getConnection("jdbc:sqlite:$file").use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT last_position FROM estoria_streams").use { rs ->
                    assertTrue(rs.next())
                    assertEquals(9, rs.getLong(1), "last_position is the stream's highest stored position")
                }
                st.executeQuery("SELECT version FROM estoria_schema_version WHERE component = 'events'").use { rs ->
                    assertTrue(rs.next())
                    assertEquals(2, rs.getInt(1))
                }
            }
        }
        val appended = store.appendStream(stream, Tck.events(1)).events.single()
        assertTrue(appended.globalPosition!! > 9)
        assertEquals(listOf(1L, 2L, 3L), store.readStream(stream).toList().map { it.streamVersion })
    }
}
