package dev.estoria.jdbc

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.Tck
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

/** Deleting a stream erases its snapshots of the same schema and prefix; a version-1 snapshots table is upgraded in place. */
class JdbcSnapshotLifecycleTest {
    private val now = Instant.now().truncatedTo(ChronoUnit.MILLIS)

    private fun snapshot(id: TypeId, version: Long) = Snapshot(id, version, "s$version".toByteArray(), "text/plain", now, TypeId.new("tck_added"))

    /** A user erasing personal data deletes the stream and expects nothing of it left in the tables the library wrote. */
    private fun deletingAStreamDeletesItsSnapshots(events: EventStore, snapshots: SnapshotStore) = runBlocking<Unit> {
        val id = Tck.newStreamId()
        val neighbour = Tck.newStreamId()
        events.appendStream(id, Tck.events(3))
        for (v in 1L..3L) snapshots.write(snapshot(id, v))
        snapshots.write(snapshot(neighbour, 1))
        (events as StreamDeleter).delete(id, 2)
        assertEquals(3, snapshots.read(id)?.version, "a truncation keeps the snapshots")
        (events as StreamDeleter).delete(id)
        assertNull(snapshots.read(id), "the deleted stream's snapshots are gone")
        assertEquals(1, snapshots.read(neighbour)?.version, "other aggregates' snapshots stay")
    }

    @Test
    fun `deleting a PostgreSQL stream deletes its snapshots in the same schema and prefix`() =
        deletingAStreamDeletesItsSnapshots(TestDatabases.pgCustom, JdbcSnapshotStore.postgres(TestDatabases.postgres(), TestDatabases.customPg))

    @Test
    fun `deleting a SQLite stream deletes its snapshots in the same prefix`() =
        deletingAStreamDeletesItsSnapshots(TestDatabases.sqliteDefault, JdbcSnapshotStore.sqlite(TestDatabases.sqlite()))

    @Test
    fun `deleting a stream works where no snapshots table exists`() = runBlocking<Unit> {
        val options = JdbcStoreOptions.builder().schema("estoria_nosnap_" + UUID.randomUUID().toString().take(8)).build()
        val events = PostgresEventStore.create(TestDatabases.postgres(), options)
        val id = Tck.newStreamId()
        events.appendStream(id, Tck.events(1))
        events.delete(id)
    }

    /** Old tables must keep working after an upgrade of the library: CREATE adds the column, old rows read without an id. */
    private fun upgradesAVersionOneTable(dataSource: DataSource, options: JdbcStoreOptions, oldDdl: String, open: (JdbcStoreOptions) -> JdbcSnapshotStore) =
        runBlocking<Unit> {
            val names = TableNames(options.schema, options.tablePrefix)
            val id = TypeId.new("tck_counter")
            dataSource.connection.use { c ->
                c.createStatement().use { st ->
                    options.schema?.let { st.execute("CREATE SCHEMA IF NOT EXISTS $it") }
                    st.execute("CREATE TABLE ${names.schemaVersion} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, installed_at TEXT)")
                    st.execute("INSERT INTO ${names.schemaVersion} (component, version) VALUES ('snapshots', 1)")
                    st.execute(oldDdl.replace("SNAPSHOTS", names.snapshots))
                }
                c.prepareStatement("INSERT INTO ${names.snapshots} (aggregate_id, aggregate_version, content_type, data, created_at) VALUES (?, 2, 'text/plain', ?, ?)").use { ps ->
                    ps.setString(1, id.toString())
                    ps.setBytes(2, "old".toByteArray())
                    ps.setObject(3, if (options.schema == null) now.toEpochMilli() * 1000 else java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
                    ps.executeUpdate()
                }
            }
            val store = open(options)
            val old = assertNotNull(store.read(id))
            assertEquals(2, old.version)
            assertNull(old.lastEventId, "a row written before version 2 has no last event id")
            val written = snapshot(id, 3)
            store.write(written)
            assertEquals(written, store.read(id))
            dataSource.connection.use { c ->
                c.createStatement().use { st ->
                    st.executeQuery("SELECT version FROM ${names.schemaVersion} WHERE component = 'snapshots'").use { rs ->
                        rs.next()
                        assertEquals(2, rs.getInt(1))
                    }
                }
            }
            open(options) // a second provisioning of the upgraded table changes nothing
            open(options.toBuilder().schemaMode(SchemaMode.VALIDATE).build()) // and it validates
        }

    @Test
    fun `CREATE upgrades a version-1 PostgreSQL snapshots table in place`() {
        val options = JdbcStoreOptions.builder().schema("estoria_up_" + UUID.randomUUID().toString().take(8)).build()
        upgradesAVersionOneTable(
            TestDatabases.postgres(),
            options,
            "CREATE TABLE SNAPSHOTS (aggregate_id TEXT NOT NULL, aggregate_version BIGINT NOT NULL, content_type TEXT NOT NULL, " +
                "data BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (aggregate_id, aggregate_version))",
        ) { JdbcSnapshotStore.postgres(TestDatabases.postgres(), it) }
    }

    @Test
    fun `CREATE upgrades a version-1 SQLite snapshots table in place`() {
        val options = JdbcStoreOptions.builder().tablePrefix("up_" + UUID.randomUUID().toString().take(8).replace("-", "") + "_").build()
        upgradesAVersionOneTable(
            TestDatabases.sqlite(),
            options,
            "CREATE TABLE SNAPSHOTS (aggregate_id TEXT NOT NULL, aggregate_version INTEGER NOT NULL, content_type TEXT NOT NULL, " +
                "data BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (aggregate_id, aggregate_version))",
        ) { JdbcSnapshotStore.sqlite(TestDatabases.sqlite(), it) }
    }
}
