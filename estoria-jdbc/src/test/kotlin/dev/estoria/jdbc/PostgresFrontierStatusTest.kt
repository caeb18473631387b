package dev.estoria.jdbc

import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.Session
import dev.estoria.testkit.Tck
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A writing transaction left open holds the PostgreSQL frontier back while `headPosition` looks
 * normal; `frontierStatus` must show the lag and name the transaction (pid, age, database) so that a
 * lag monitor can alarm. SQLite never lags.
 */
class PostgresFrontierStatusTest {
    @Test
    fun `frontierStatus names the open transaction that holds the frontier back and the events it holds`(): Unit = runBlocking {
        val store = TestDatabases.pgDefault
        TestDatabases.postgres().connection.use { open ->
            val pid = open.createStatement().use { st -> st.executeQuery("SELECT pg_backend_pid()").use { rs -> rs.next(); rs.getInt(1) } }
            open.autoCommit = false
            val slowId = TypeId.new("slow")
            val batch = Tck.events(1)
            store.engine.appendBlocking(Session(open), slowId, batch, batch.map { store.engine.encode(slowId, it) }, ExpectedVersion.NoStream)
            val fast = store.appendStream(TypeId.new("fast"), Tck.events(3)).events

            val held = store.frontierStatus()
            assertEquals(fast.last().globalPosition, held.newestPosition)
            assertEquals(store.headPosition(), held.stableHead)
            assertTrue(held.lagPositions > 0 && held.heldBackEvents >= 3, held.toString())
            val holder = held.holders.singleOrNull { it.pid == pid } ?: error("the open transaction is not named: $held")
            assertEquals("idle in transaction", holder.state)
            assertTrue(!holder.transactionAge.isNegative && holder.database != null, holder.toString())

            open.commit()
            val released = store.frontierStatus()
            assertTrue(released.holders.none { it.pid == pid }, released.toString())
            assertTrue(released.stableHead >= fast.last().globalPosition!!, released.toString())
        }
        val lite = TestDatabases.sqliteDefault
        lite.appendStream(TypeId.new("lite"), Tck.events(2))
        val status = lite.frontierStatus()
        assertEquals(lite.headPosition(), status.stableHead)
        assertEquals(status.stableHead, status.newestPosition)
        assertEquals(0, status.heldBackEvents)
        assertTrue(status.holders.isEmpty())
    }
}
