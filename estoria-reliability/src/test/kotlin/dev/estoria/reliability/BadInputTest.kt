package dev.estoria.reliability

import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.cache.redis.RedisSnapshotStore
import dev.estoria.cache.redis.RedisSnapshotStoreOptions
import dev.estoria.error.EstoriaException
import dev.estoria.error.InvalidInputException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Bad input across the public API and configuration, and stored data edited behind the store's back:
 * each case must end in its typed error and leave every table byte for byte as it was.
 */
class BadInputTest {
    private fun run(backend: Backend): Unit = runBlocking {
        val cases = BadInputCases.all()
        val tally = Tally("bad-input", backend.name, "${cases.size} cases: ids, type names, metadata, content types, sizes, versions, counts, configuration names, corrupted rows")
        val stream = TypeId.new("rel_stream")
        val seeded = backend.store.appendStream(stream, List(3) { WritableEvent.of("rel_event", """{"n":$it}""".encodeToByteArray()) }, ExpectedVersion.NoStream)
        val seed = Seeded(stream, seeded.events.map { it.id }, seeded.events.map { it.globalPosition ?: error("JDBC events have positions") })
        val failures = ArrayList<String>()
        for (case in cases) {
            tally.cases.incrementAndGet()
            case.corrupt?.invoke(backend, seed)
            val before = backend.tablesDigest()
            val outcome = try {
                case.act(backend, seed)
                null
            } catch (e: Exception) {
                e
            }
            val after = backend.tablesDigest()
            case.repair?.invoke(backend, seed)
            val problem = when {
                outcome == null -> "no error"
                case.expect is Expect.Refused && !case.expect.type.isInstance(outcome) -> "got $outcome"
                case.expect is Expect.StoredDataError && (outcome !is EstoriaException || outcome is InvalidInputException) -> "got $outcome"
                before != after -> "the tables changed"
                else -> null
            }
            tally.note(outcome?.javaClass?.simpleName ?: "no error")
            if (problem != null) failures += "[${case.group}] ${case.label}: $problem"
        }
        tally.note("cases that failed", failures.size.toLong())
        tally.eventsChecked.addAndGet(3)
        Figures.record(tally)
        assertTrue(cases.size >= 100, "at least 100 cases, got ${cases.size}")
        assertTrue(failures.isEmpty(), failures.joinToString("\n"))
    }

    @Test
    fun `postgresql - every bad input gets its typed error and leaves every table unchanged`() = run(Databases.postgres("input"))

    @Test
    fun `sqlite - every bad input gets its typed error and leaves every table unchanged`() = run(Databases.sqlite("input"))

    /**
     * Junk in Redis (another program's keys under the cache prefix, a truncated entry, an entry of another
     * codec) is not the caller's fault and not a reason to fail: the load is a miss served by the store.
     */
    @Test
    fun `junk Redis cache and snapshot entries are misses and loads return the stream's state`(): Unit = runBlocking {
        val backend = Databases.sqlite("redisjunk")
        val client = RedisClient.create(RedisTestServer.url())
        try {
            client.connect(ByteArrayCodec.INSTANCE).use { connection ->
                val prefix = "rel:junk:${System.nanoTime()}:"
                val junk = listOf(
                    "random bytes" to byteArrayOf(0, -1, 7, 42, -128),
                    "empty value" to byteArrayOf(),
                    "JSON of another program" to """{"hello":"world"}""".encodeToByteArray(),
                    "text with a NUL" to "a\u0000b".encodeToByteArray(),
                    "truncated header" to byteArrayOf(1),
                )
                val tally = Tally("bad-input-redis-junk", "redis", "${junk.size} junk values under the cache key and the snapshot key of an aggregate")
                val plain = EventSourcedAggregateStore(backend.store, TckCounter.definition)
                val cacheOptions = RedisCacheOptions.builder().keyPrefix("${prefix}cache:").commandTimeout(Duration.ofSeconds(10)).build()
                val snapshotOptions = RedisSnapshotStoreOptions.builder().keyPrefix("${prefix}snap:").commandTimeout(Duration.ofSeconds(10)).build()
                val stack = CachingAggregateStore(
                    SnapshottingAggregateStore(plain, RedisSnapshotStore(connection, snapshotOptions), SnapshotPolicy.everyNEvents(100)),
                    RedisAggregateCache(connection, TckCounter.codec, cacheOptions),
                )
                val sync = connection.sync()
                for ((label, value) in junk) {
                    val aggregate = plain.new()
                    aggregate.append(TckCounter.Added(5), TckCounter.Added(6))
                    plain.save(aggregate)
                    sync.set("${prefix}cache:{${aggregate.id}}".encodeToByteArray(), value)
                    sync.zadd("${prefix}snap:{${aggregate.id}}".encodeToByteArray(), 2.0, value)
                    tally.cases.incrementAndGet()
                    tally.faults.incrementAndGet()
                    val loaded = stack.load(aggregate.id)
                    tally.eventsChecked.addAndGet(2)
                    if (loaded.version != 2L || loaded.state.value != 11L) tally.lost.incrementAndGet()
                    assertEquals(2, loaded.version, label)
                    assertEquals(11, loaded.state.value, label)
                }
                Figures.record(tally)
            }
        } finally {
            client.shutdown()
        }
    }
}
