package dev.estoria.cache.bench

import com.github.benmanes.caffeine.cache.Caffeine
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.cache.CachedState
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.TckCounter.Added
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.ExperimentalLettuceCoroutinesApi
import io.lettuce.core.RedisClient
import io.lettuce.core.api.coroutines
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.future.await
import kotlinx.coroutines.withContext
import java.util.Locale
import java.util.concurrent.atomic.AtomicLong

/**
 * Cache benchmark, one run, same machine, same bytes:
 * - hit latency (sequential, p50/p99/mean) and throughput (concurrent) of [CaffeineAggregateCache] beside a
 *   raw Caffeine `getIfPresent`, and of [RedisAggregateCache] beside raw Lettuce GET/SET of the bytes it stores
 *   (raw = Lettuce's coroutine API, the surface the cache uses; the async API, and a raw GET followed by
 *   the JSON decode of the state that every real hit needs, are shown for reference);
 * - load time of a 1,000-event aggregate (in-memory event store) without a cache, and with a cache hit.
 *
 * Each comparison warms up, then alternates raw and cache in 20 slices so both see the same machine
 * noise (2 shared cores here: compare ratios within one run, not absolute numbers across runs).
 *
 * Run (from the repository root):
 * ```
 * mvn -B -ntp -Dkotlin.compiler.daemon=false -pl estoria-cache -am -Pbench verify -DskipTests
 * ```
 * Uses `ESTORIA_REDIS_URL` when set, else Testcontainers, else an embedded redis-server 6.2.
 * Scale with `-Dbench.scale=0.2` (fewer iterations) or `2` (more).
 */
@OptIn(ExperimentalLettuceCoroutinesApi::class)
object CacheBenchmark {
    private val scale = System.getProperty("bench.scale", "1").toDouble()
    private fun n(base: Int) = (base * scale).toInt().coerceAtLeast(100)

    private class Result(val name: String, val opsPerSec: Double, val p50: Double, val p99: Double, val meanUs: Double)

    private val results = mutableListOf<Result>()

    @JvmStatic
    fun main(args: Array<String>) = runBlocking<Unit> {
        val url = RedisTestServer.url()
        println("Redis: ${RedisTestServer.source()} $url; JVM ${System.getProperty("java.version")}; cores ${Runtime.getRuntime().availableProcessors()}")
        val client = RedisClient.create(url)
        val connection = client.connect(ByteArrayCodec.INSTANCE)
        val raw = connection.coroutines()
        try {
            val id = TypeId.new(TckCounter.TYPE)
            val state = TckCounter(id.toString(), 123_456, "a label of moderate length for a realistic state")

            // --- Caffeine ---
            val caffeine = CaffeineAggregateCache.create<TckCounter>()
            caffeine.put(id, 1000, state)
            val rawCaffeine = Caffeine.newBuilder().maximumSize(10_000).recordStats().build<TypeId, CachedState<TckCounter>>()
            rawCaffeine.put(id, CachedState(1000, state))
            compare(n(1_000_000), 1, "caffeine raw getIfPresent" to { rawCaffeine.getIfPresent(id) }, "caffeine cache get (hit)" to { caffeine.get(id) })
            compare(n(4_000_000), 4, "caffeine raw getIfPresent" to { rawCaffeine.getIfPresent(id) }, "caffeine cache get (hit)" to { caffeine.get(id) })

            // --- Redis: the cache and raw Lettuce on the same bytes ---
            val redisCache = RedisAggregateCache(connection, TckCounter.codec, RedisCacheOptions.builder().commandTimeout(java.time.Duration.ofSeconds(5)).build())
            redisCache.put(id, 1000, state)
            val key = "${RedisCacheOptions.DEFAULT_KEY_PREFIX}{$id}".toByteArray()
            val bytes = requireNotNull(raw.get(key))
            val rawKey = "bench:raw:{$id}".toByteArray()
            raw.set(rawKey, bytes)
            val stateOffset = bytes.indexOf('{'.code.toByte())
            println("entry: ${bytes.size} bytes (state JSON: ${bytes.size - stateOffset} bytes)")
            val putId = TypeId.new(TckCounter.TYPE)
            val version = AtomicLong(0)
            val async = connection.async()
            compare(
                n(20_000), 1,
                "lettuce raw GET" to { raw.get(rawKey) },
                "redis cache get (hit)" to { redisCache.get(id) },
                "lettuce raw GET, async API (reference)" to { async.get(rawKey).await() },
                "lettuce raw GET + state decode (reference)" to { raw.get(rawKey)?.let { TckCounter.codec.decode(it.copyOfRange(stateOffset, it.size)) } },
            )
            compare(n(20_000), 1, "lettuce raw SET" to { raw.set(rawKey, bytes) }, "redis cache put (CAS script)" to { redisCache.put(putId, version.incrementAndGet(), state) })
            compare(
                n(200_000), 64,
                "lettuce raw GET" to { raw.get(rawKey) },
                "redis cache get (hit)" to { redisCache.get(id) },
                "lettuce raw GET, async API (reference)" to { async.get(rawKey).await() },
                "lettuce raw GET + state decode (reference)" to { raw.get(rawKey)?.let { TckCounter.codec.decode(it.copyOfRange(stateOffset, it.size)) } },
            )
            compare(n(200_000), 64, "lettuce raw SET" to { raw.set(rawKey, bytes) }, "redis cache put (CAS script)" to { redisCache.put(putId, version.incrementAndGet(), state) })

            // --- Loading a 1,000-event aggregate ---
            val events = InMemoryEventStore()
            val base = EventSourcedAggregateStore(events, TckCounter.definition)
            val aggregate = base.new()
            repeat(1000) { aggregate.append(Added(1)) }
            base.save(aggregate)
            val withCaffeine = CachingAggregateStore(base, CaffeineAggregateCache.create())
            val withRedis = CachingAggregateStore(base, RedisAggregateCache(connection, TckCounter.codec))
            withCaffeine.load(aggregate.id)
            withRedis.load(aggregate.id)
            compare(
                n(2_000), 1,
                "load 1,000 events, no cache" to { load(base, aggregate.id) },
                "load 1,000 events, Caffeine hit" to { load(withCaffeine, aggregate.id) },
                "load 1,000 events, Redis hit" to { load(withRedis, aggregate.id) },
            )

            printReport()
        } finally {
            connection.close()
            client.shutdown()
        }
    }

    private const val SLICES = 20

    /**
     * Measures [variants] side by side on a noisy machine: after a warm-up pass, [count] operations of each
     * run in [SLICES] alternating slices (raw, cache, raw, cache, …), so every variant sees the same noise;
     * with [concurrency] > 1, each slice runs that many coroutines on `Dispatchers.Default`.
     */
    private suspend fun compare(count: Int, concurrency: Int, vararg variants: Pair<String, suspend () -> Any?>) {
        for ((_, op) in variants) slice(count / SLICES, concurrency, op, null) // warm-up
        val perSlice = (count / SLICES).coerceAtLeast(concurrency)
        val totals = LongArray(variants.size)
        val samples = Array(variants.size) { if (concurrency == 1) LongArray(perSlice * SLICES) else null }
        repeat(SLICES) { s ->
            variants.forEachIndexed { v, (_, op) ->
                totals[v] += slice(perSlice, concurrency, op, samples[v]?.let { it to s * perSlice })
            }
        }
        variants.forEachIndexed { v, (name, _) ->
            val ops = perSlice * SLICES
            val sorted = samples[v]?.also { it.sort() }
            results += Result(
                if (concurrency == 1) "$name [sequential]" else "$name [$concurrency concurrent]",
                ops / (totals[v] / 1e9),
                sorted?.let { it[ops / 2] / 1e3 } ?: Double.NaN,
                sorted?.let { it[(ops * 99L / 100).toInt()] / 1e3 } ?: Double.NaN,
                if (concurrency == 1) totals[v] / 1e3 / ops else Double.NaN,
            )
        }
    }

    /** Runs [ops] operations; returns the elapsed nanoseconds; records per-op latencies into [into] from an offset. */
    private suspend fun slice(ops: Int, concurrency: Int, op: suspend () -> Any?, into: Pair<LongArray, Int>?): Long {
        val start = System.nanoTime()
        if (concurrency == 1) {
            for (i in 0 until ops) {
                val t = System.nanoTime()
                op()
                if (into != null) into.first[into.second + i] = System.nanoTime() - t
            }
        } else {
            val per = ops / concurrency
            withContext(Dispatchers.Default) {
                coroutineScope { repeat(concurrency) { launch { repeat(per) { op() } } } }
            }
        }
        return System.nanoTime() - start
    }

    private suspend fun load(store: AggregateStore<TckCounter>, id: TypeId) = check(store.load(id).version == 1000L)

    private fun printReport() {
        fun f(x: Double, digits: Int = 2) = if (x.isNaN()) "-" else String.format(Locale.ROOT, "%.${digits}f", x)
        println()
        println(String.format(Locale.ROOT, "%-58s %14s %10s %10s %10s", "benchmark", "ops/s", "p50 µs", "p99 µs", "mean µs"))
        val byName = results.associateBy { it.name }
        for (r in results) {
            println(String.format(Locale.ROOT, "%-58s %14s %10s %10s %10s", r.name, f(r.opsPerSec, 0), f(r.p50), f(r.p99), f(r.meanUs)))
        }
        println()
        fun ratio(cache: String, raw: String) {
            val c = byName.getValue(cache)
            val r = byName.getValue(raw)
            println(String.format(Locale.ROOT, "%-58s %6.1f %% of raw throughput", "$cache", 100 * c.opsPerSec / r.opsPerSec))
        }
        ratio("caffeine cache get (hit) [sequential]", "caffeine raw getIfPresent [sequential]")
        ratio("caffeine cache get (hit) [4 concurrent]", "caffeine raw getIfPresent [4 concurrent]")
        ratio("redis cache get (hit) [sequential]", "lettuce raw GET [sequential]")
        ratio("redis cache get (hit) [64 concurrent]", "lettuce raw GET [64 concurrent]")
        ratio("redis cache put (CAS script) [sequential]", "lettuce raw SET [sequential]")
        ratio("redis cache put (CAS script) [64 concurrent]", "lettuce raw SET [64 concurrent]")
    }
}
