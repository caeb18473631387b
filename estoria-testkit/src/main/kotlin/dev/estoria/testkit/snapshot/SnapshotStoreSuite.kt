package dev.estoria.testkit.snapshot

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.Tck
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The contract of [SnapshotStore]: newest at or below a version, exact round trip, isolation, retention. */
public abstract class SnapshotStoreSuite {
    /**
     * The store under test keeping the newest [keepLast] snapshots per aggregate (`null`: all);
     * called once per clause, possibly more than once with different settings.
     */
    protected abstract fun snapshotStore(keepLast: Int?): SnapshotStore

    private val now: Instant = Instant.now().truncatedTo(ChronoUnit.MILLIS)

    private fun snapshot(id: TypeId, version: Long, text: String = "state@$version", contentType: String = "application/json") =
        Snapshot(id, version, text.encodeToByteArray(), contentType, now.plusMillis(version))

    private fun newId(type: String = "tck_counter"): TypeId = TypeId.new(type)

    /**
     * Having no snapshot is normal for a new aggregate: the store must answer `null`, so loading falls back
     * to a full replay, and never hand out another aggregate's snapshot.
     */
    @Test
    public fun `read returns null when no snapshot exists`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        assertNull(store.read(id))
        val other = newId()
        store.write(snapshot(other, 1))
        assertNull(store.read(id))
        assertNull(store.read(id, 10))
        assertEquals(1, store.read(other)?.version)
    }

    /**
     * A restored aggregate is decoded from the snapshot's bytes with its content type and replayed from its
     * version; any alteration, binary or empty payloads included, restores a wrong state.
     */
    @Test
    public fun `a snapshot round-trips id, version, data, content type, timestamp and last event id exactly`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        val written = Snapshot(id, 7, ByteArray(300) { (it * 7).toByte() }, "application/x-binary", now, TypeId.new("tck_added"))
        store.write(written)
        val read = assertNotNull(store.read(id))
        assertEquals(written, read)
        assertEquals(written.lastEventId, read.lastEventId)
        val empty = Snapshot(newId(), 1, ByteArray(0), "", now)
        store.write(empty)
        assertEquals(empty, store.read(empty.aggregateId))
    }

    /** Loads should replay as few events as possible, so the newest snapshot must be the one returned. */
    @Test
    public fun `read returns the newest snapshot`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        for (v in listOf(5L, 10L, 15L)) store.write(snapshot(id, v))
        assertEquals(15, store.read(id)?.version)
        assertTrue(store.read(id)?.dataEquals("state@15".encodeToByteArray()) == true)
    }

    /**
     * Point-in-time loads need a snapshot that contains no event beyond the requested version: the newest one
     * at or below it, whatever order they were written in, or none.
     */
    @Test
    public fun `read returns the newest snapshot at or below the requested version`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        for (v in listOf(10L, 5L, 20L, 15L)) store.write(snapshot(id, v))
        assertEquals(15, store.read(id, 19)?.version)
        assertEquals(15, store.read(id, 15)?.version)
        assertEquals(5, store.read(id, 9)?.version)
        assertEquals(20, store.read(id, 1000)?.version)
        assertNull(store.read(id, 4))
    }

    /**
     * Ids of different aggregate types may share a UUID; restoring another type's snapshot would corrupt
     * state, so snapshots must be kept apart by the full typed id.
     */
    @Test
    public fun `snapshots of different aggregates never mix, even with the same uuid`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val uuid = UUID.randomUUID()
        val counter = TypeId("tck_counter", uuid)
        val other = TypeId("tck_other", uuid)
        store.write(snapshot(counter, 3, "counter"))
        store.write(snapshot(other, 4, "other"))
        assertEquals(snapshot(counter, 3, "counter"), store.read(counter))
        assertEquals(snapshot(other, 4, "other"), store.read(other))
        assertNull(store.read(TypeId("tck_third", uuid)))
    }

    /**
     * A snapshot may be taken again at a version already stored (after the state codec changed, for
     * instance); the newer write must replace the old one.
     */
    @Test
    public fun `a snapshot at an existing version replaces it`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        store.write(snapshot(id, 4, "first"))
        store.write(snapshot(id, 4, "second"))
        assertEquals(snapshot(id, 4, "second"), store.read(id))
    }

    /**
     * Retention bounds storage growth: only the newest `keepLast` snapshots of an aggregate are kept, and
     * pruning never touches another aggregate's snapshots.
     */
    @Test
    public fun `retention keeps only the newest snapshots`(): TestResult = Tck.run {
        val store = snapshotStore(2)
        val id = newId()
        for (v in 1L..5L) store.write(snapshot(id, v * 10))
        assertEquals(50, store.read(id)?.version)
        assertEquals(40, store.read(id, 45)?.version)
        assertNull(store.read(id, 35), "snapshots older than the newest 2 must be gone")
        val neighbour = newId()
        store.write(snapshot(neighbour, 1))
        assertEquals(1, store.read(neighbour)?.version)
        assertEquals(50, store.read(id)?.version)
    }

    /**
     * The state is decoded with the snapshot's content type; one holding a lone UTF-16 surrogate would come back
     * as `?` and one holding a NUL fails on PostgreSQL only, so both are refused with InvalidInputException on
     * every store, while whole surrogate pairs round-trip.
     */
    @Test
    public fun `content types holding a lone surrogate or NUL are refused, surrogate pairs round-trip`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        val emoji = "\uD83D\uDE00"
        for (bad in listOf("text/" + emoji.take(1), "text/" + emoji.drop(1), "text/\u0000")) {
            assertFailsWith<InvalidInputException> { store.write(Snapshot(id, 1, ByteArray(1), bad, now)) }
        }
        assertNull(store.read(id))
        val good = Snapshot(id, 2, "state".encodeToByteArray(), "text/$emoji", now)
        store.write(good)
        assertEquals(good, store.read(id))
    }

    /**
     * Deleting an aggregate's snapshots erases its data from this store (a stream deleted for privacy must
     * leave nothing behind), and the snapshotting layer deletes stale ones: exactly that aggregate's must go.
     */
    @Test
    public fun `delete removes every snapshot of the aggregate and only those`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        val neighbour = newId()
        for (v in listOf(2L, 4L, 6L)) store.write(snapshot(id, v))
        store.write(snapshot(neighbour, 3))
        store.delete(id)
        assertNull(store.read(id))
        assertNull(store.read(id, 4))
        assertEquals(3, store.read(neighbour)?.version)
        store.delete(newId())
        store.write(snapshot(id, 1))
        assertEquals(1, store.read(id)?.version, "the aggregate can be snapshotted again")
    }

    /**
     * The snapshotting layer discards a stale snapshot and the older ones below it, keeping newer ones that
     * may still be valid (a point-in-time load must not cost the snapshot the latest loads rely on).
     */
    @Test
    public fun `delete up to a version keeps the later snapshots`(): TestResult = Tck.run {
        val store = snapshotStore(null)
        val id = newId()
        for (v in listOf(2L, 4L, 6L)) store.write(snapshot(id, v))
        store.delete(id, 4)
        assertEquals(6, store.read(id)?.version)
        assertNull(store.read(id, 5))
        store.write(snapshot(id, 3))
        assertEquals(3, store.read(id, 5)?.version, "a snapshot written after the delete is kept")
    }
}
