package dev.estoria.mongo

import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.WritableEvent
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Collection names from configuration, oversize batches, text BSON cannot carry, and the index modes. */
class NamesAndSizesTest {
    /** A prefix is pasted into collection names; anything that could address another namespace is refused up front. */
    @Test
    fun `collection prefixes that could inject or reach system collections are refused at construction`() {
        for (bad in listOf("a\$b", "a.b", "events.", "system", "system_", "x y", "a\u0000b", "1abc", "é", "a".repeat(65))) {
            assertFailsWith<InvalidInputException>("prefix '$bad'") { MongoStoreOptions.builder().collectionPrefix(bad).build() }
        }
        for (good in listOf("", "estoria_", "App_1", "_x")) MongoStoreOptions.builder().collectionPrefix(good).build()
    }

    /** MongoDB's name limits (63-character database names) must fail at construction, not on the first write. */
    @Test
    fun `a database name longer than MongoDB allows is refused at construction`() {
        val long = MongoTestServer.database("n".repeat(150))
        assertFailsWith<InvalidInputException> { MongoEventStore(long) }
        assertFailsWith<InvalidInputException> { MongoSnapshotStore(long) }
    }

    /** One document per append: a batch over the document limit must fail typed, before anything is written. */
    @Test
    fun `oversize events and batches are refused before anything is written`() = Tck.run {
        val store = MongoEventStore(MongoTestServer.database("sizes"))
        val head = store.headPosition()
        val id = newStreamId()
        val huge = WritableEvent.of("tck_big", ByteArray(MongoStoreOptions.MAX_BATCH_BYTES))
        val tooLarge = assertFailsWith<EventTooLargeException> { store.appendStream(id, listOf(huge)) }
        assertEquals(MongoStoreOptions.MAX_BATCH_BYTES, tooLarge.limit)
        val four = List(5) { WritableEvent.of("tck_big", ByteArray(4 * 1024 * 1024)) }
        assertFailsWith<InvalidInputException> { store.appendStream(id, four) }
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        assertEquals(head, store.headPosition(), "no position was reserved")
        // just under the limit goes through as one document
        val three = List(3) { WritableEvent.of("tck_big", ByteArray(5 * 1024 * 1024)) }
        assertEquals(3, store.appendStream(id, three).nextExpectedVersion)
        assertTrue(store.readStream(id).toList().all { it.size == 5 * 1024 * 1024 })
    }

    /**
     * BSON strings are UTF-8: a lone surrogate would come back as '?'. Events refuse such text when they are
     * built (StoredText), so nothing reaches the store; whole surrogate pairs and `$`/`.` in keys round-trip.
     */
    @Test
    fun `text that UTF-8 cannot carry is refused, the rest round-trips`() = Tck.run {
        val store = MongoEventStore(MongoTestServer.database("text"))
        val id = newStreamId()
        assertFailsWith<InvalidInputException> { WritableEvent.of("tck_text", ByteArray(1), metadata = mapOf("k" to "bad\uD800")) }
        assertFailsWith<InvalidInputException> { WritableEvent.of("tck_text", ByteArray(1), contentType = "\uDC00") }
        assertFailsWith<StreamNotFoundException> { store.readStream(id).toList() }
        val fine = WritableEvent.of("tck_text", ByteArray(1), "x/\uD83D\uDE00", mapOf("a.b\$c" to "\uD83D\uDE00"))
        store.appendStream(id, listOf(fine))
        assertEquals(fine.metadata, store.readStream(id).toList().single().metadata)
    }

    /** VALIDATE is for teams that create indexes themselves: a missing index fails at start, present ones pass. */
    @Test
    fun `VALIDATE fails on missing indexes and passes once they exist`() = Tck.run {
        val db = MongoTestServer.database("validate")
        val validating = MongoStoreOptions.builder().indexMode(IndexMode.VALIDATE).build()
        assertFailsWith<StoreException> { MongoEventStore(db, validating).ensureIndexes() }
        MongoEventStore(db).ensureIndexes()
        MongoEventStore(db, validating).ensureIndexes()
    }
}
