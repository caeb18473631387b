package dev.estoria.jdbc

import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.Session
import dev.estoria.testkit.Tck
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The PostgreSQL global order is a stable prefix: an append that took a LOW position but has not
 * committed yet holds back every reader, so a HIGHER position committed meanwhile is not returned
 * until the lower one is visible; no subscriber skips it.
 */
class PostgresGlobalOrderTest {
    @Test
    fun `a reader never skips a low position that commits after a higher one`() = runBlocking {
        val store = TestDatabases.pgDefault
        val slowId = TypeId.new("slow")
        val fastId = TypeId.new("fast")
        val slowBatch = Tck.events(2)
        val start = store.headPosition()

        TestDatabases.postgres().connection.use { slowConnection ->
            // 1. the slow writer appends inside a transaction it keeps open: it holds the LOW positions
            slowConnection.autoCommit = false
            val slow = store.engine.appendBlocking(
                Session(slowConnection), slowId, slowBatch, slowBatch.map { store.engine.encode(slowId, it) }, ExpectedVersion.NoStream,
            )
            // 2. another writer, on another stream, is not blocked by it and commits HIGHER positions
            val fast = store.appendStream(fastId, Tck.events(3), ExpectedVersion.NoStream)
            val low = slow.events.first().globalPosition ?: error("no position")
            val high = fast.events.first().globalPosition ?: error("no position")
            assertTrue(low < high, "the uncommitted append holds the lower positions ($low < $high)")

            // 3. while the low positions are in flight, readers see neither them nor anything above them
            val seenWhileOpen = store.readAll(start).toList()
            assertTrue(seenWhileOpen.none { it.streamId == fastId }, "the committed higher positions are held back")
            assertTrue(seenWhileOpen.all { it.globalPosition!! < low })
            val head = store.headPosition()
            assertTrue(head < low, "headPosition $head stays below the in-flight position $low")

            // 4. the slow writer commits; a subscriber resuming after the last position it saw gets both, in order
            slowConnection.commit()
            val resumed = store.readAll(head).toList().filter { it.streamId == slowId || it.streamId == fastId }
            assertEquals(slow.events + fast.events, resumed)
            assertTrue(store.headPosition() >= fast.events.last().globalPosition!!)
        }
    }
}
