package dev.estoria.cache.redis

import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.error.StoreException
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.TckCounter.Added
import dev.estoria.testkit.servers.redis.EmbeddedRedis
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import dev.estoria.id.TypeId
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.measureTime

/**
 * Stops a dedicated embedded redis-server in the middle of the test: loads and saves through
 * `CachingAggregateStore` (over a snapshotting store on Redis too) keep working, each within about the
 * command timeout; then the server restarts (empty) and the cache works again.
 */
class RedisOutageTest {
    private lateinit var server: EmbeddedRedis
    private lateinit var client: RedisClient

    @BeforeEach
    fun start() {
        server = RedisTestServer.dedicatedEmbedded()
        client = RedisClient.create(server.url)
    }

    @AfterEach
    fun stop() {
        client.shutdown()
        server.close()
    }

    /** `DEFAULT` buffers commands while disconnected (only our deadline ends them); `REJECT_COMMANDS` fails them at once. */
    @ParameterizedTest
    @ValueSource(strings = ["DEFAULT", "REJECT_COMMANDS"])
    fun `a Redis outage turns cache and snapshot calls into misses, and the cache recovers after a restart`(behaviour: String) = runBlocking<Unit> {
        client.options = ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.valueOf(behaviour)).build()
        val connection = client.connect(ByteArrayCodec.INSTANCE)
        val timeout = Duration.ofMillis(200)
        val cache = RedisAggregateCache(connection, TckCounter.codec, RedisCacheOptions.builder().commandTimeout(timeout).build())
        val snapshots = RedisSnapshotStore(connection, RedisSnapshotStoreOptions.builder().commandTimeout(timeout).build())
        val base = EventSourcedAggregateStore(InMemoryEventStore(), TckCounter.definition)
        val store = CachingAggregateStore(SnapshottingAggregateStore(base, snapshots, SnapshotPolicy.everyNEvents(2)), cache)

        val aggregate = store.new()
        aggregate.append(Added(1))
        store.save(aggregate)
        assertEquals(1, cache.get(aggregate.id)?.version, "cached while Redis is up")

        server.stop()
        assertFailsWith<StoreException> { cache.get(aggregate.id) }
        for (i in 2..6) {
            val took = measureTime {
                val loaded = store.load(aggregate.id)
                assertEquals(i - 1L, loaded.version)
                loaded.append(Added(1))
                store.save(loaded)
            }
            assertTrue(took.inWholeMilliseconds < 3_000, "load + save during the outage took $took")
        }
        assertEquals(6, store.load(aggregate.id).state.value)

        server.start()
        // Lettuce reconnects on its own (with back-off); the first successful save caches again.
        var recovered = false
        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (!recovered && System.nanoTime() < deadline) {
            val loaded = store.load(aggregate.id)
            loaded.append(Added(1))
            store.save(loaded)
            recovered = runCatching { cache.get(aggregate.id)?.version == loaded.version }.getOrDefault(false)
            if (!recovered) delay(100)
        }
        assertTrue(recovered, "the cache works again after the restart")
        val final = store.load(aggregate.id)
        assertEquals(final.version, cache.get(aggregate.id)?.version)
        assertEquals(final.version, final.state.value)
        connection.close()
    }

    /** A server that accepts but does not answer (CLIENT PAUSE): each call fails after about the deadline, also under runTest's virtual time. */
    @Test
    fun `a hung server makes each command fail after about the command timeout`() = runTest {
        val connection = client.connect(ByteArrayCodec.INSTANCE)
        val admin = client.connect()
        try {
            val cache = RedisAggregateCache(connection, TckCounter.codec, RedisCacheOptions.builder().commandTimeout(Duration.ofMillis(200)).build())
            val snapshots = RedisSnapshotStore(connection, RedisSnapshotStoreOptions.builder().commandTimeout(Duration.ofMillis(200)).build())
            val id = TypeId.new(TckCounter.TYPE)
            cache.put(id, 1, TckCounter(id.toString(), 1))
            admin.sync().clientPause(3_000)
            for (call in listOf<suspend () -> Unit>({ cache.get(id) }, { cache.put(id, 2, TckCounter(id.toString(), 2)) }, { snapshots.read(id) })) {
                val started = System.nanoTime()
                val failure = assertFailsWith<StoreException> { call() }
                val took = (System.nanoTime() - started) / 1_000_000
                assertTrue(took in 150..1_500, "failed after $took ms: $failure")
                assertTrue(failure.message?.contains("timed out") == true, failure.message)
            }
        } finally {
            admin.close()
            connection.close()
        }
    }
}
