package dev.estoria.jdbc.bench

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.Connection
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.UUID
import java.util.concurrent.atomic.AtomicLong
import kotlin.system.exitProcess

/**
 * Events/s of the PostgreSQL event store beside a raw-JDBC baseline doing the minimal equivalent SQL
 * into the same table (plain auto-committed multi-row INSERTs; a plain SELECT), on the test server
 * (embedded PostgreSQL unless ESTORIA_POSTGRES_URL is set). See docs/benchmarks.md for the command.
 */
object JdbcBenchmark {
    private const val SCHEMA = "estoria_bench"
    private const val WRITERS = 8
    private const val ROUNDS = 5
    private val payload = """{"amount":100,"currency":"EUR","note":"benchmark event payload"}""".encodeToByteArray()
    private val rawPosition = AtomicLong(1L shl 60)

    /** Events/s of both sides, and the client's CPU (this JVM, every thread) in microseconds per event. */
    private class Result(val name: String, val store: Double, val raw: Double, val storeCpu: Double, val rawCpu: Double)

    private val os = java.lang.management.ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    /** Runs [side] (returning events/s) and measures the process CPU it used: (events/s, CPU µs per event). */
    private suspend fun measured(side: suspend () -> Double): Pair<Double, Double> {
        val cpu0 = os.processCpuTime
        val wall0 = System.nanoTime()
        val rate = side()
        val cores = (os.processCpuTime - cpu0).toDouble() / (System.nanoTime() - wall0)
        return rate to cores / rate * 1e6
    }

    @JvmStatic
    fun main(args: Array<String>) {
        val scale = args.firstOrNull()?.toDoubleOrNull() ?: 1.0
        val info = PostgresTestServer.infoOrNull() ?: run {
            System.err.println("no PostgreSQL: ${PostgresTestServer.failure()}")
            exitProcess(2)
        }
        val pool = HikariDataSource(
            HikariConfig().apply {
                jdbcUrl = info.jdbcUrl
                username = info.user
                password = info.password
                maximumPoolSize = 34
            },
        )
        pool.connection.use { c -> c.createStatement().use { it.execute("DROP SCHEMA IF EXISTS $SCHEMA CASCADE") } }
        val store = PostgresEventStore.create(pool, JdbcStoreOptions.builder().schema(SCHEMA).pageSize(Integer.getInteger("bench.pageSize", JdbcStoreOptions.DEFAULT_PAGE_SIZE))
            .coalesceAppends(System.getProperty("bench.coalesce", "true").toBoolean())
            .appendWriters(Integer.getInteger("bench.appendWriters", JdbcStoreOptions.DEFAULT_APPEND_WRITERS)).build())
        // the same store, its blocking calls on a fixed pool of threads sized to the connection pool instead of Dispatchers.IO
        val jdbcThreads = java.util.concurrent.Executors.newFixedThreadPool(WRITERS + 2) { r -> Thread(r, "bench-jdbc").apply { isDaemon = true } }
        val pooledStore = PostgresEventStore.create(pool, JdbcStoreOptions.builder().schema(SCHEMA).executor(jdbcThreads).build())
        val exposed = Database.connect(pool)
        val n1 = (3000 * scale).toInt()
        val n10 = (1000 * scale).toInt()
        val nConc = (1000 * scale).toInt()
        val nContended = (200 * scale).toInt()
        val only: String? = System.getProperty("bench.only")
        println("PostgreSQL ${info.source}: ${info.jdbcUrl}")
        val results = ArrayList<Result>()
        // the store is called from coroutine worker threads, as a server's handlers would call it
        runBlocking(Dispatchers.Default) {
            // warm-up of both paths
            if (only == null || !only.contains("read")) {
                appendSequential(store, 500, 1)
                rawSequential(pool, 500, 1)
            }
            // round 0 warms up; rounds 1..ROUNDS are measured, store and raw back to back
            val measured = ArrayList<Result>()
            repeat(ROUNDS + 1) { round ->
                val r = ArrayList<Result>()
                // -Dbench.only=TEXT runs only the scenarios whose name contains TEXT (e.g. "read")
                suspend fun run(name: String, store: suspend () -> Double, raw: suspend () -> Double) {
                    if (only == null || name.contains(only)) {
                        val (s, sCpu) = measured(store)
                        val (w, wCpu) = measured(raw)
                        r += Result(name, s, w, sCpu, wCpu)
                    }
                }
                run("1-event appends, sequential", { appendSequential(store, n1, 1) }, { rawSequential(pool, n1, 1) })
                run("10-event appends, sequential", { appendSequential(store, n10, 10) }, { rawSequential(pool, n10, 10) })
                run("1-event appends, $WRITERS concurrent writers", { appendConcurrent(store, nConc) }, { rawConcurrent(pool, nConc) })
                run("1-event appends, 32 concurrent writers", { appendConcurrent(store, nConc / 4, writers = 32) }, { rawConcurrent(pool, nConc / 4, 32) })
                // the same, called from Dispatchers.IO (as blocking-style handlers would): no dispatcher hop at all
                run("(same, writers on Dispatchers.IO)", { appendConcurrent(store, nConc, Dispatchers.IO) }, { rawConcurrent(pool, nConc) })
                // writers racing on one stream (most attempts conflict): successful appends per second
                run("1-event appends, $WRITERS writers on ONE stream, Exact + retry", { appendContended(store, nContended) }, { rawContended(pool, nContended) })
                run("read one 10,000-event stream", { readStream(store, pool) }, { rawRead(pool) })
                // many small streams: one query per stream (what loading aggregates does)
                run("read 1,000 streams x 10 events, 1 reader", { readMany(store, 1) }, { rawReadMany(pool, 1) })
                run("read 1,000 streams x 10 events, $WRITERS readers", { readMany(store, WRITERS) }, { rawReadMany(pool, WRITERS) })
                // the same, readers on Dispatchers.IO (no dispatcher hop)
                run("(same, readers on Dispatchers.IO)", { readMany(store, WRITERS, Dispatchers.IO) }, { rawReadMany(pool, WRITERS) })
                run("(1,000 x 10, 1 reader, store on a fixed thread pool)", { readMany(pooledStore, 1) }, { rawReadMany(pool, 1) })
                run("(1,000 x 10, $WRITERS readers, store on a fixed thread pool)", { readMany(pooledStore, WRITERS) }, { rawReadMany(pool, WRITERS) })
                run("(1,000 x 10, 1 reader on Dispatchers.IO)", { readMany(store, 1, Dispatchers.IO) }, { rawReadMany(pool, 1) })
                // diagnostic: the raw SELECT per stream called through withContext(Dispatchers.IO) from Default
                run("(raw read 1,000 x 10 via Dispatchers.IO, 1 reader)", { rawReadManyViaIo(pool, 1) }, { rawReadMany(pool, 1) })
                run("(raw read 1,000 x 10 via Dispatchers.IO, $WRITERS readers)", { rawReadManyViaIo(pool, WRITERS) }, { rawReadMany(pool, WRITERS) })
                // diagnostic: the raw INSERT itself, called through withContext(Dispatchers.IO)
                run("(raw 1-event INSERT via Dispatchers.IO)", { rawSequentialViaIo(pool, n1) }, { rawSequential(pool, n1, 1) })
                // diagnostic: the same with 8 concurrent writers (coroutines on Dispatchers.Default, as the store's callers)
                run("(raw INSERT via Dispatchers.IO, $WRITERS writers)", { rawConcurrentViaIo(pool, nConc) }, { rawConcurrent(pool, nConc) })
                // diagnostic: the raw INSERT inside an Exposed transaction (what running appends through
                // Exposed's transaction wrapper would cost: an explicit transaction and its COMMIT)
                run("(raw 1-event INSERT in Exposed transaction)", { rawSequentialInExposed(exposed, n1) }, { rawSequential(pool, n1, 1) })
                if (round > 0) measured += r
            }
            // the round with the median store/raw ratio is reported (store and raw ran back to back in it)
            for (name in measured.map { it.name }.distinct()) {
                val all = measured.filter { it.name == name }.sortedBy { it.store / it.raw }
                results += all[all.size / 2]
            }
        }
        println()
        println(String.format("%-56s %12s %12s %7s %15s", "scenario", "store ev/s", "raw ev/s", "ratio", "CPU us/ev s/raw"))
        for (r in results) {
            println(String.format("%-56s %12.0f %12.0f %6.0f%% %7.1f/%-7.1f", r.name, r.store, r.raw, 100 * r.store / r.raw, r.storeCpu, r.rawCpu))
        }
        pool.close()
        exitProcess(0)
    }

    private fun events(k: Int): List<WritableEvent> = List(k) { WritableEvent.of("bench_event", payload) }

    private fun rate(events: Long, nanos: Long): Double = events * 1e9 / nanos

    private suspend fun appendSequential(store: PostgresEventStore, appends: Int, size: Int): Double {
        val id = TypeId.new("bench")
        var version = 0L
        val start = System.nanoTime()
        repeat(appends) { version = store.appendStream(id, events(size), ExpectedVersion.Exact(version)).nextExpectedVersion }
        return rate(appends.toLong() * size, System.nanoTime() - start)
    }

    private suspend fun appendConcurrent(
        store: PostgresEventStore,
        appendsPerWriter: Int,
        callers: kotlinx.coroutines.CoroutineDispatcher = Dispatchers.Default,
        writers: Int = WRITERS,
    ): Double = kotlinx.coroutines.coroutineScope {
        val start = System.nanoTime()
        (1..writers).map {
            async(callers) {
                val id = TypeId.new("bench")
                var version = 0L
                repeat(appendsPerWriter) { version = store.appendStream(id, events(1), ExpectedVersion.Exact(version)).nextExpectedVersion }
            }
        }.awaitAll()
        rate(appendsPerWriter.toLong() * writers, System.nanoTime() - start)
    }

    /**
     * [WRITERS] coroutines appending [appendsPerWriter] events each to one stream with `Exact`, taking the
     * stream's version from the conflict on a refusal (what `update` does on a conflict is a reload instead).
     */
    private suspend fun appendContended(store: PostgresEventStore, appendsPerWriter: Int): Double = kotlinx.coroutines.coroutineScope {
        val id = TypeId.new("bench")
        val start = System.nanoTime()
        (1..WRITERS).map {
            async(Dispatchers.Default) {
                var version = 0L
                var done = 0
                while (done < appendsPerWriter) {
                    try {
                        version = store.appendStream(id, events(1), ExpectedVersion.Exact(version)).nextExpectedVersion
                        done++
                    } catch (e: StreamVersionConflictException) {
                        version = e.actual
                    }
                }
            }
        }.awaitAll()
        rate(appendsPerWriter.toLong() * WRITERS, System.nanoTime() - start)
    }

    /** The raw twin of [appendContended]: INSERT at the next version; on a unique violation, SELECT the version and retry. */
    private fun rawContended(pool: HikariDataSource, insertsPerWriter: Int): Double {
        val stream = "raw_" + UUID.randomUUID()
        val start = System.nanoTime()
        val threads = (1..WRITERS).map {
            Thread {
                var version = 0L
                var done = 0
                while (done < insertsPerWriter) {
                    pool.connection.use { c ->
                        try {
                            rawInsert(c, stream, version + 1, 1)
                            version++
                            done++
                        } catch (e: java.sql.SQLException) {
                            if (e.sqlState != "23505") throw e
                            c.prepareStatement("SELECT coalesce(max(stream_version), 0) FROM $SCHEMA.estoria_events WHERE stream_id = ?").use { ps ->
                                ps.setString(1, stream)
                                ps.executeQuery().use { rs -> rs.next(); version = rs.getLong(1) }
                            }
                        }
                    }
                }
            }.also { it.start() }
        }
        threads.forEach { it.join() }
        return rate(insertsPerWriter.toLong() * WRITERS, System.nanoTime() - start)
    }

    /** Plain auto-committed multi-row INSERT of [size] rows per statement into the same events table. */
    private fun rawInsert(c: Connection, stream: String, fromVersion: Long, size: Int) {
        val sql = buildString {
            append("INSERT INTO $SCHEMA.estoria_events (global_position, event_id, stream_id, stream_version, type, created_at, ")
            append("content_type, metadata, data) VALUES ")
            repeat(size) { i -> append(if (i == 0) "" else ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)") }
        }
        c.prepareStatement(sql).use { ps ->
            val now = OffsetDateTime.now(ZoneOffset.UTC)
            var p = 1
            repeat(size) { i ->
                ps.setLong(p++, rawPosition.incrementAndGet())
                ps.setString(p++, "bench_event_" + UUID.randomUUID())
                ps.setString(p++, stream)
                ps.setLong(p++, fromVersion + i)
                ps.setString(p++, "bench_event")
                ps.setObject(p++, now)
                ps.setString(p++, "application/json")
                ps.setString(p++, "{}")
                ps.setBytes(p++, payload)
            }
            ps.executeUpdate()
        }
    }

    private fun rawSequential(pool: HikariDataSource, inserts: Int, size: Int): Double {
        val stream = "raw_" + UUID.randomUUID()
        val start = System.nanoTime()
        for (i in 0 until inserts) pool.connection.use { rawInsert(it, stream, i.toLong() * size + 1, size) }
        return rate(inserts.toLong() * size, System.nanoTime() - start)
    }

    private suspend fun rawSequentialViaIo(pool: HikariDataSource, inserts: Int): Double {
        val stream = "raw_" + UUID.randomUUID()
        val start = System.nanoTime()
        for (i in 0 until inserts) kotlinx.coroutines.withContext(Dispatchers.IO) { pool.connection.use { rawInsert(it, stream, i + 1L, 1) } }
        return rate(inserts.toLong(), System.nanoTime() - start)
    }

    private suspend fun rawConcurrentViaIo(pool: HikariDataSource, insertsPerWriter: Int): Double = kotlinx.coroutines.coroutineScope {
        val start = System.nanoTime()
        (1..WRITERS).map {
            async(Dispatchers.Default) {
                val stream = "raw_" + UUID.randomUUID()
                for (i in 0 until insertsPerWriter) {
                    kotlinx.coroutines.withContext(Dispatchers.IO) { pool.connection.use { rawInsert(it, stream, i + 1L, 1) } }
                }
            }
        }.awaitAll()
        rate(insertsPerWriter.toLong() * WRITERS, System.nanoTime() - start)
    }

    private fun rawSequentialInExposed(db: Database, inserts: Int): Double {
        val stream = "raw_" + UUID.randomUUID()
        val start = System.nanoTime()
        for (i in 0 until inserts) transaction(db) { rawInsert(connection.connection as Connection, stream, i + 1L, 1) }
        return rate(inserts.toLong(), System.nanoTime() - start)
    }

    private fun rawConcurrent(pool: HikariDataSource, insertsPerWriter: Int, writers: Int = WRITERS): Double {
        val start = System.nanoTime()
        val threads = (1..writers).map {
            Thread {
                val stream = "raw_" + UUID.randomUUID()
                for (i in 0 until insertsPerWriter) pool.connection.use { rawInsert(it, stream, i + 1L, 1) }
            }.also { it.start() }
        }
        threads.forEach { it.join() }
        return rate(insertsPerWriter.toLong() * writers, System.nanoTime() - start)
    }

    private val readStreamId: TypeId by lazy { TypeId.new("bench") }
    private var readPrepared = false

    private suspend fun prepareRead(store: PostgresEventStore) {
        if (readPrepared) return
        repeat(10) { store.appendStream(readStreamId, events(1000)) }
        readPrepared = true
    }

    private suspend fun readStream(store: PostgresEventStore, pool: HikariDataSource): Double {
        prepareRead(store)
        val rounds = 5
        val start = System.nanoTime()
        var total = 0L
        repeat(rounds) { total += store.readStream(readStreamId).count() }
        check(total == 10_000L * rounds) { "read $total" }
        return rate(total, System.nanoTime() - start)
    }

    /** A plain SELECT of the same columns, each row turned into the values an application would use. */
    private fun rawRead(pool: HikariDataSource): Double {
        val rounds = 5
        val start = System.nanoTime()
        var total = 0L
        repeat(rounds) { total += rawReadStream(pool, readStreamId.toString()) }
        check(total == 10_000L * rounds) { "raw read $total" }
        return rate(total, System.nanoTime() - start)
    }

    private const val MANY_STREAMS = 1000
    private const val MANY_EVENTS = 10
    private val manyStreams: List<TypeId> by lazy { List(MANY_STREAMS) { TypeId.new("bench") } }
    private var manyPrepared = false

    private suspend fun prepareMany(store: PostgresEventStore) {
        if (manyPrepared) return
        for (id in manyStreams) store.appendStream(id, events(MANY_EVENTS))
        manyPrepared = true
    }

    /** [readers] coroutines on [callers], each reading every one of the 1,000 streams (from its own offset). */
    private suspend fun readMany(
        store: PostgresEventStore,
        readers: Int,
        callers: kotlinx.coroutines.CoroutineDispatcher = Dispatchers.Default,
    ): Double = kotlinx.coroutines.coroutineScope {
        prepareMany(store)
        val start = System.nanoTime()
        val counts = (0 until readers).map { r ->
            async(callers) {
                var total = 0L
                for (i in 0 until MANY_STREAMS) total += store.readStream(manyStreams[(i + r * 125) % MANY_STREAMS]).count()
                total
            }
        }.awaitAll()
        val total = counts.sum()
        check(total == readers.toLong() * MANY_STREAMS * MANY_EVENTS) { "read $total" }
        rate(total, System.nanoTime() - start)
    }

    /** The raw twin of [readMany]: plain threads, per stream a pooled connection and one plain SELECT decoded as in [rawRead]. */
    private fun rawReadMany(pool: HikariDataSource, readers: Int): Double {
        val counts = LongArray(readers)
        val start = System.nanoTime()
        val threads = (0 until readers).map { r ->
            Thread {
                for (i in 0 until MANY_STREAMS) counts[r] += rawReadStream(pool, manyStreams[(i + r * 125) % MANY_STREAMS].toString())
            }.also { it.start() }
        }
        threads.forEach { it.join() }
        val total = counts.sum()
        check(total == readers.toLong() * MANY_STREAMS * MANY_EVENTS) { "raw read $total" }
        return rate(total, System.nanoTime() - start)
    }

    /** [rawReadMany] from coroutines on Dispatchers.Default, each SELECT called through withContext(Dispatchers.IO). */
    private suspend fun rawReadManyViaIo(pool: HikariDataSource, readers: Int): Double = kotlinx.coroutines.coroutineScope {
        val start = System.nanoTime()
        val counts = (0 until readers).map { r ->
            async(Dispatchers.Default) {
                var total = 0L
                for (i in 0 until MANY_STREAMS) {
                    val id = manyStreams[(i + r * 125) % MANY_STREAMS].toString()
                    total += kotlinx.coroutines.withContext(Dispatchers.IO) { rawReadStream(pool, id) }
                }
                total
            }
        }.awaitAll()
        val total = counts.sum()
        check(total == readers.toLong() * MANY_STREAMS * MANY_EVENTS) { "raw read $total" }
        rate(total, System.nanoTime() - start)
    }

    private fun rawReadStream(pool: HikariDataSource, stream: String): Long = pool.connection.use { c ->
        c.prepareStatement(
            "SELECT global_position, event_id, stream_id, stream_version, created_at, content_type, metadata, data " +
                "FROM $SCHEMA.estoria_events WHERE stream_id = ? ORDER BY stream_version",
        ).use { ps ->
            ps.setString(1, stream)
            ps.executeQuery().use { rs ->
                var n = 0L
                while (rs.next()) {
                    rs.getLong(1); rs.getString(2); rs.getString(3); rs.getLong(4)
                    rs.getObject(5, OffsetDateTime::class.java); rs.getString(6); rs.getString(7); rs.getBytes(8)
                    n++
                }
                n
            }
        }
    }
}
