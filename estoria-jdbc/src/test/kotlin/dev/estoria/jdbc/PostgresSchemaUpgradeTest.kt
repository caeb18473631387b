package dev.estoria.jdbc

import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * A database provisioned by a release with the events schema at version 1 (no `last_position` on the
 * streams rows) keeps working: validation names the fix, creation upgrades it in place and fills
 * `last_position`, so later appends land above every stored position of their stream.
 */
class PostgresSchemaUpgradeTest {
    @Test
    fun `a version-1 events schema is reported by validation and upgraded in place by creation`(): Unit = runBlocking {
        val schema = "estoria_u_" + UUID.randomUUID().toString().take(8)
        val stream = TypeId.new("old")
        val high = 1L shl 45 // a stored position above anything the counter gives now
        TestDatabases.postgres().connection.use { c ->
            c.createStatement().use {
                it.execute(
                    """
                    CREATE SCHEMA $schema;
                    CREATE TABLE $schema.estoria_schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, installed_at TIMESTAMPTZ NOT NULL DEFAULT now());
                    CREATE TABLE $schema.estoria_streams (stream_id TEXT PRIMARY KEY, stream_version BIGINT NOT NULL);
                    CREATE TABLE $schema.estoria_events (global_position BIGINT PRIMARY KEY, event_id TEXT NOT NULL, stream_id TEXT NOT NULL,
                        stream_version BIGINT NOT NULL, type TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, content_type TEXT NOT NULL,
                        metadata TEXT NOT NULL, data BYTEA NOT NULL, CONSTRAINT estoria_events_event_id_key UNIQUE (event_id),
                        CONSTRAINT estoria_events_stream_version_key UNIQUE (stream_id, stream_version));
                    INSERT INTO $schema.estoria_schema_version (component, version) VALUES ('events', 1);
                    INSERT INTO $schema.estoria_streams VALUES ('$stream', 2);
                    INSERT INTO $schema.estoria_events VALUES
                        ($high, '${TypeId.new("e")}', '$stream', 1, 'e', now(), '', '{}', ''::bytea),
                        (5, '${TypeId.new("e")}', '$stream', 2, 'e', now(), '', '{}', ''::bytea);
                    """.trimIndent(),
                )
            }
        }
        val create = JdbcStoreOptions.builder().schema(schema).build()
        val validate = create.toBuilder().schemaMode(SchemaMode.VALIDATE).build()
        val refused = assertFailsWith<StoreException> { PostgresEventStore.create(TestDatabases.postgres(), validate) }
        val message = refused.message.orEmpty()
        assertTrue("version 1" in message && "SchemaMode.CREATE" in message && "ADD COLUMN IF NOT EXISTS last_position" in message, message)

        val store = PostgresEventStore.create(TestDatabases.postgres(), create)
        PostgresEventStore.create(TestDatabases.postgres(), validate)
        TestDatabases.postgres().connection.use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT last_position FROM $schema.estoria_streams").use { rs ->
                    assertTrue(rs.next())
                    assertEquals(high, rs.getLong(1), "last_position is the stream's highest stored position")
                }
                st.executeQuery("SELECT version FROM $schema.estoria_schema_version WHERE component = 'events'").use { rs ->
                    assertTrue(rs.next())
                    assertEquals(2, rs.getInt(1))
                }
            }
        }
        // the stream's stored position is above the counter: the upgraded guard refuses instead of writing below it
        assertFailsWith<dev.estoria.error.GlobalPositionException> { store.appendStream(stream, Tck.events(1)) }
        PostgresEventStore.rebasePositions(TestDatabases.postgres(), create)
        val appended = store.appendStream(stream, Tck.events(1)).events.single()
        assertTrue(appended.globalPosition!! > high)
        assertEquals(3, store.readStream(stream).toList().last().streamVersion)
    }
}
