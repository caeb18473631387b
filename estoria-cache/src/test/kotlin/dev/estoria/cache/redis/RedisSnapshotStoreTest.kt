package dev.estoria.cache.redis

import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.snapshot.SnapshotStoreSuite
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class RedisSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        RedisSnapshotStore(RedisTestSupport.connection, RedisSnapshotStoreOptions.builder().keepLast(keepLast).build())
}

class RedisSnapshotStoreBehaviourTest {
    private val sync = RedisTestSupport.connection.sync()

    @Test
    fun `one sorted set per aggregate under the prefix, with the id as hash tag, and an optional ttl`() = runBlocking<Unit> {
        val store = RedisSnapshotStore(
            RedisTestSupport.connection,
            RedisSnapshotStoreOptions.builder().keyPrefix("snap:test:").ttl(Duration.ofMinutes(1)).build(),
        )
        val id = TypeId.new(TckCounter.TYPE)
        store.write(Snapshot(id, 3, "x".toByteArray(), "text/plain", Instant.parse("2026-01-02T03:04:05.123456789Z")))
        val key = "snap:test:{$id}".toByteArray()
        assertEquals("zset", sync.type(key))
        assertEquals(1, sync.zcard(key))
        assertTrue(sync.pttl(key) in 1..60_000)
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z"), store.read(id)?.timestamp)
    }

    @Test
    fun `a foreign member is a StoreException and versions beyond 2^53 are refused`() = runBlocking<Unit> {
        val store = RedisSnapshotStore(RedisTestSupport.connection)
        val id = TypeId.new(TckCounter.TYPE)
        sync.zadd("${RedisSnapshotStoreOptions.DEFAULT_KEY_PREFIX}{$id}".toByteArray(), 1.0, "junk".toByteArray())
        assertFailsWith<StoreException> { store.read(id) }
        assertFailsWith<InvalidInputException> {
            store.write(Snapshot(id, (1L shl 53) + 1, ByteArray(0), "", Instant.now()))
        }
    }

    @Test
    fun `a member of the previous format reads without a last event id`() = runBlocking<Unit> {
        val store = RedisSnapshotStore(RedisTestSupport.connection)
        val id = TypeId.new(TckCounter.TYPE)
        val taken = Instant.parse("2026-01-02T03:04:05.000000001Z")
        val ct = "text/plain".toByteArray()
        val member = java.nio.ByteBuffer.allocate(24 + ct.size + 1)
            .putLong(4).putLong(taken.epochSecond).putInt(taken.nano).putInt(ct.size).put(ct).put('x'.code.toByte()).array()
        sync.zadd("${RedisSnapshotStoreOptions.DEFAULT_KEY_PREFIX}{$id}".toByteArray(), 4.0, member)
        assertEquals(Snapshot(id, 4, "x".toByteArray(), "text/plain", taken, null), store.read(id))
    }
}
