package dev.estoria.jdbc

import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.io.IOException
import java.nio.file.Files
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class JdbcOptionsAndSchemaTest {
    @Test
    fun `names that are not plain identifiers are rejected when the options are built`() {
        val bad = listOf("x; DROP TABLE estoria_events; --", "Events", "a-b", "1abc", "a b", "\"q\"", "x".repeat(64))
        for (name in bad) {
            assertFailsWith<InvalidInputException>(name) { JdbcStoreOptions.builder().schema(name).build() }
            assertFailsWith<InvalidInputException>(name) { JdbcStoreOptions.builder().tablePrefix(name).build() }
        }
        assertFailsWith<InvalidInputException> { JdbcStoreOptions.builder().maxEventSize(0).build() }
        assertFailsWith<InvalidInputException> { JdbcStoreOptions.builder().pageSize(0).build() }
        assertFailsWith<InvalidInputException> { SqliteEventStore.create(TestDatabases.sqlite(), JdbcStoreOptions.builder().schema("s").build()) }
        assertFailsWith<InvalidInputException> { SqliteEventStore.ddl(JdbcStoreOptions.builder().schema("s").build()) }
        JdbcStoreOptions.builder().schema("tenant_01").tablePrefix("").build()
    }

    @Test
    fun `the DDL can be printed and names every table`() {
        val pg = PostgresEventStore.ddl(JdbcStoreOptions.builder().schema("es").tablePrefix("app_").build())
        for (table in listOf("es.app_events", "es.app_streams", "es.app_snapshots", "es.app_checkpoints", "es.app_schema_version")) {
            assertTrue("CREATE TABLE IF NOT EXISTS $table" in pg, pg)
        }
        assertTrue("CREATE SCHEMA IF NOT EXISTS es" in pg)
        val lite = SqliteEventStore.ddl()
        assertTrue("CREATE TABLE IF NOT EXISTS estoria_events" in lite && "AUTOINCREMENT" in lite, lite)
    }

    @Test
    fun `validate-only mode fails on missing tables and passes once they exist, and creation is idempotent`() {
        val schema = "estoria_v_" + UUID.randomUUID().toString().take(8)
        val create = JdbcStoreOptions.builder().schema(schema).build()
        val validate = create.toBuilder().schemaMode(SchemaMode.VALIDATE).build()
        assertFailsWith<StoreException> { PostgresEventStore.create(TestDatabases.postgres(), validate) }
        PostgresEventStore.create(TestDatabases.postgres(), create)
        PostgresEventStore.create(TestDatabases.postgres(), create)
        PostgresEventStore.create(TestDatabases.postgres(), validate)
        assertFailsWith<StoreException> { JdbcSnapshotStore.postgres(TestDatabases.postgres(), validate) }
        TestDatabases.postgres().connection.use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT version FROM $schema.estoria_schema_version WHERE component = 'events'").use { rs ->
                    assertTrue(rs.next())
                    assertEquals(2, rs.getInt(1))
                }
            }
        }

        val file = TestDatabases.sqliteDir.resolve("validate-${UUID.randomUUID()}").resolve("db.sqlite")
        val ds = SqliteEventStore.dataSource(file)
        assertFailsWith<StoreException> {
            SqliteEventStore.create(ds, JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build())
        }
        SqliteEventStore.create(ds)
        SqliteEventStore.create(ds, JdbcStoreOptions.builder().schemaMode(SchemaMode.VALIDATE).build())
    }

    /** Provisions a fresh PostgreSQL schema with [provision], runs the DDL [alter] makes for it, returns its options. */
    private fun provisionedThenAltered(provision: (JdbcStoreOptions) -> Any, alter: (String) -> String): JdbcStoreOptions {
        val schema = "estoria_a_" + UUID.randomUUID().toString().take(8)
        val options = JdbcStoreOptions.builder().schema(schema).build()
        provision(options)
        TestDatabases.postgres().connection.use { c -> c.createStatement().use { it.execute(alter(schema)) } }
        return options
    }

    @Test
    fun `validate-only mode and creation refuse tables that lost a unique key the store relies on`() {
        val create = provisionedThenAltered({ PostgresEventStore.create(TestDatabases.postgres(), it) }) { schema ->
            "ALTER TABLE $schema.estoria_events DROP CONSTRAINT estoria_events_event_id_key"
        }
        val validating = assertFailsWith<StoreException> {
            PostgresEventStore.create(TestDatabases.postgres(), create.toBuilder().schemaMode(SchemaMode.VALIDATE).build())
        }
        assertTrue("estoria_events(event_id)" in validating.message.orEmpty(), validating.message)
        val creating = assertFailsWith<StoreException> { PostgresEventStore.create(TestDatabases.postgres(), create) }
        assertTrue("estoria_events(event_id)" in creating.message.orEmpty(), creating.message)
    }

    @Test
    fun `validate-only mode names a column that a hand-run migration left out`() {
        val create = provisionedThenAltered({ JdbcSnapshotStore.postgres(TestDatabases.postgres(), it) }) { schema ->
            "ALTER TABLE $schema.estoria_snapshots DROP COLUMN content_type"
        }
        val e = assertFailsWith<StoreException> {
            JdbcSnapshotStore.postgres(TestDatabases.postgres(), create.toBuilder().schemaMode(SchemaMode.VALIDATE).build())
        }
        assertTrue("content_type" in e.message.orEmpty(), e.message)
    }

    @Test
    fun `an oversize event is refused before anything is written`() = runBlocking {
        val small = JdbcStoreOptions.builder().maxEventSize(300).build()
        for (store in listOf(PostgresEventStore.create(TestDatabases.postgres(), small), SqliteEventStore.create(TestDatabases.sqlite(), small))) {
            val id = TypeId.new("big")
            val e = assertFailsWith<EventTooLargeException> {
                store.appendStream(id, listOf(Tck.event(1), WritableEvent.of("huge", ByteArray(201))))
            }
            assertEquals(300, e.limit)
            // payload 201 + metadata "{}" 2 + content type 16 + type 4 + event id 41 + stream id 40
            assertEquals(201 + 2 + 16 + 4 + 41 + 40, e.size)
            assertEquals("huge", e.eventType)
            assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        }
    }

    @Test
    fun `a directory that cannot be created is a StoreException, for single and multi-tenant SQLite files`() {
        val file = TestDatabases.sqliteDir.resolve("plain-file-${UUID.randomUUID()}")
        Files.writeString(file, "not a directory")
        val e = assertFailsWith<StoreException> { SqliteEventStore.file(file.resolve("sub/demo.db")) }
        assertTrue(e.cause is IOException, "cause: ${e.cause}")
        assertTrue(file.toString() in e.message.orEmpty(), e.message)
        assertFailsWith<StoreException> { SqliteEventStore.dataSource(file.resolve("demo.db")) }
        val tenants = JdbcTenants.sqliteFiles(file.resolve("tenants"))
        assertFailsWith<StoreException> { tenants.forTenant("acme") }
    }

    @Test
    fun `the file factory creates the database, its directories and the schema`() = runBlocking {
        val path = TestDatabases.sqliteDir.resolve("nested/dir/demo.db")
        val store = SqliteEventStore.file(path)
        val id = TypeId.new("demo")
        store.appendStream(id, Tck.events(2))
        assertEquals(2, SqliteEventStore.file(path).readStream(id).toList().size)
    }
}
