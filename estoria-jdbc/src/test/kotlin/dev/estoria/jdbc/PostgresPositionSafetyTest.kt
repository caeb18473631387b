package dev.estoria.jdbc

import dev.estoria.error.GlobalPositionException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.PostgresPositions
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * PostgreSQL positions come from the transaction counter: a counter that restarted lower than the
 * stored positions (restore, logical replication) or one close to the 64-bit limit must make appends
 * fail loudly instead of writing positions subscribers skip, and [PostgresEventStore.rebasePositions]
 * must be the way out. The lower counter is simulated by stored positions far above it.
 */
class PostgresPositionSafetyTest {
    private fun freshSchema(): JdbcStoreOptions =
        JdbcStoreOptions.builder().schema("estoria_p_" + UUID.randomUUID().toString().take(8)).build()

    private fun sql(statement: String) {
        TestDatabases.postgres().connection.use { c -> c.createStatement().use { it.execute(statement) } }
    }

    @Test
    fun `a counter behind the stored positions refuses appends until rebasePositions, then positions continue above them`(): Unit = runBlocking {
        val options = freshSchema()
        val schema = options.schema
        val old = PostgresEventStore.create(TestDatabases.postgres(), options)
        val a = TypeId.new("restored")
        val first = old.appendStream(a, Tck.events(1)).events.single()
        // what a restore looks like: stored positions far above what the restarted counter gives
        val high = (first.globalPosition ?: error("no position")) + (1L shl 40)
        sql(
            "INSERT INTO $schema.estoria_events VALUES ($high, '${TypeId.new("tck_happened")}', '$a', 2, 'tck_happened', now(), " +
                "'application/json', '{}', '\\x7b7d'::bytea); UPDATE $schema.estoria_streams SET stream_version = 2, last_position = $high",
        )
        val store = PostgresEventStore.create(TestDatabases.postgres(), options)
        val b = TypeId.new("fresh")
        val refusedNew = assertFailsWith<GlobalPositionException> { store.appendStream(b, Tck.events(1), ExpectedVersion.NoStream) }
        assertTrue("rebasePositions" in refusedNew.message.orEmpty(), refusedNew.message)
        assertFailsWith<StreamNotFoundException> { store.readStream(b).toList() }
        assertFailsWith<GlobalPositionException> { store.appendStream(a, Tck.events(1), ExpectedVersion.Exact(2)) }
        // the instance that ran before the "restore" refuses too
        assertFailsWith<GlobalPositionException> { old.appendStream(a, Tck.events(1)) }
        assertEquals(2, store.readStream(a).toList().size)

        val offset = PostgresEventStore.rebasePositions(TestDatabases.postgres(), options)
        assertTrue(offset > 0)
        assertEquals(offset, PostgresEventStore.rebasePositions(TestDatabases.postgres(), options), "rebasing again changes nothing")
        val later = store.appendStream(a, Tck.events(1), ExpectedVersion.Exact(2)).events + store.appendStream(b, Tck.events(2)).events
        assertTrue(later.all { (it.globalPosition ?: 0) > high }, "new positions are above every stored one")
        assertEquals(later, store.readAll(high).toList(), "a subscriber at the highest stored position sees the new events")
        assertEquals(listOf(1L, 2L, 3L), store.readStream(a).toList().map { it.streamVersion })
        assertEquals(store.headPosition(), later.last().globalPosition)
    }

    @Test
    fun `appends are refused before positions overflow 64 bits and work right below the limit`(): Unit = runBlocking {
        val options = freshSchema()
        val store = PostgresEventStore.create(TestDatabases.postgres(), options)
        val next = TestDatabases.postgres().connection.use { c ->
            c.createStatement().use { st ->
                st.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").use { rs -> rs.next(); rs.getLong(1) }
            }
        }
        // an offset that puts the counter just below the limit (what a server past 2^43 - 2^40 transactions looks like)
        sql("INSERT INTO ${options.schema}.estoria_position_offset VALUES (1, ${PostgresPositions.LIMIT_XID - next - 1_000_000})")
        val near = store.appendStream(TypeId.new("near"), Tck.events(3)).events
        assertTrue(near.all { (it.globalPosition ?: 0) > (1L shl 62) }, "positions near the limit are positive and large")
        assertEquals(near, store.readAll(near.first().globalPosition!! - 1).toList())

        sql("UPDATE ${options.schema}.estoria_position_offset SET xid_offset = ${PostgresPositions.LIMIT_XID - next}")
        val id = TypeId.new("over")
        val refused = assertFailsWith<GlobalPositionException> { store.appendStream(id, Tck.events(1)) }
        assertTrue("exhausted" in refused.message.orEmpty(), refused.message)
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        assertFailsWith<GlobalPositionException> { store.appendStream(near.first().streamId, Tck.events(1)) }
    }
}
