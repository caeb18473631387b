package dev.estoria.mongo

import com.mongodb.client.model.Filters
import dev.estoria.event.Event
import dev.estoria.id.TypeId
import dev.estoria.mongo.internal.AppendProbe
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withContext
import org.bson.BsonDocument
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * Writers that reserve positions and then stall or die: readers never step over the hole while it may
 * fill, never wait forever, and the unique position index decides between the late writer and the marker.
 * The stall is a latch in the append path (no sleeps decide anything); the hole bound is 1 ms.
 */
class HoleMarkerTest {
    private class Stall(private val stalled: TypeId, private val die: Boolean) : AppendProbe {
        val reserved = CompletableDeferred<Long>()
        val release = CompletableDeferred<Unit>()

        override suspend fun reserved(streamId: TypeId, firstPosition: Long) {
            if (streamId != stalled || reserved.isCompleted) return
            reserved.complete(firstPosition)
            if (die) throw WriterKilled()
            release.await()
        }
    }

    private class WriterKilled : RuntimeException("killed between reserve and insert")

    private val options = MongoStoreOptions.builder().holeTimeout(Duration.ofMillis(1)).build()

    private fun store(probe: AppendProbe, layout: MongoLayout = MongoLayout.SINGLE_COLLECTION) =
        MongoTestServer.database("holes").let { db ->
            db to MongoEventStore(db, options.toBuilder().layout(layout).build(), probe)
        }

    /**
     * A stalled writer must not make readers skip its position while it may still write, nor block them
     * forever: after the bound the reader marks the position, the late insert loses and the writer appends
     * again at a later position, so a subscriber that saw the later event still sees the writer's event.
     */
    @Test
    fun `a stalled writer's position is marked after the bound and its late insert lands later`() = Tck.run {
        for (layout in MongoLayout.entries) {
            val a = newStreamId()
            val stall = Stall(a, die = false)
            val (db, store) = store(stall, layout)
            withContext(Dispatchers.Default) {
                val writer = async { store.appendStream(a, events(2)) }
                val stalledAt = stall.reserved.await()
                val b = store.appendStream(TypeId.new("other"), events(1)).events.single()
                assertTrue(assertNotNull(b.globalPosition) > stalledAt)

                val seen = store.readAll().toList()
                assertEquals(listOf(b.id), seen.map { it.id }, "the reader returns the later event once the hole is marked")
                val marker = db.getCollection(collectionOf(layout, "tck_stream"), BsonDocument::class.java)
                    .find(Filters.eq("_id", stalledAt)).firstOrNull()
                assertEquals("r", marker?.getString("m")?.value, "the reader's marker holds the stalled position")

                stall.release.complete(Unit)
                val late = writer.await()
                assertTrue(late.events.all { assertNotNull(it.globalPosition) > assertNotNull(b.globalPosition) }, "re-reserved after the marker")
                assertEquals(listOf(1L, 2L), late.events.map(Event::streamVersion))
                assertEquals(late.events, store.readAll(assertNotNull(b.globalPosition)).toList())
                assertEquals(listOf(b.id) + late.events.map { it.id }, store.readAll().toList().map { it.id })
                assertEquals(late.events.last().globalPosition, store.headPosition())
            }
        }
    }

    /**
     * A writer killed between reserving and inserting never fills its positions; readers and
     * `headPosition` must get past them (after the bound) and the stream must stay writable.
     */
    @Test
    fun `a writer killed between reserve and insert leaves a hole that readers close`() = Tck.run {
        val a = newStreamId()
        val stall = Stall(a, die = true)
        val (_, store) = store(stall)
        withContext(Dispatchers.Default) {
            assertFailsWith<WriterKilled> { store.appendStream(a, events(3)) }
            val b = store.appendStream(newStreamId(), events(1)).events.single()
            assertEquals(b.globalPosition, store.headPosition())
            assertEquals(listOf(b), store.readAll().toList())
            val again = store.appendStream(a, events(1))
            assertEquals(1L, again.nextExpectedVersion)
            assertEquals(listOf(b.id) + again.events.map { it.id }, store.readAll().toList().map { it.id })
        }
    }

    private fun collectionOf(layout: MongoLayout, type: String) =
        if (layout == MongoLayout.SINGLE_COLLECTION) "estoria_events" else "estoria_events_$type"
}
