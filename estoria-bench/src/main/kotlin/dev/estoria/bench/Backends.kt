package dev.estoria.bench

import com.mongodb.kotlin.client.coroutine.MongoClient
import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import de.bwaldvogel.mongo.MongoServer
import de.bwaldvogel.mongo.backend.memory.MemoryBackend
import dev.estoria.bench.axon.AxonTarget
import dev.estoria.bench.scenario.LatencySetup
import dev.estoria.bench.scenario.Tally
import dev.estoria.bench.targets.RawJdbcTarget
import dev.estoria.bench.targets.RawMemoryTarget
import dev.estoria.bench.targets.RawMongoTarget
import dev.estoria.bench.targets.Target
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.redis.RedisAggregateCache
import dev.estoria.codec.jsonCodec
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.live.PostgresAppendListener
import dev.estoria.jdbc.live.PostgresAppendNotifier
import dev.estoria.jdbc.live.PostgresConnections
import dev.estoria.projection.AppendSignal
import dev.estoria.projection.signalling
import dev.estoria.testkit.servers.postgres.PostgresConnectionInfo
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import dev.estoria.testkit.servers.redis.RedisTestServer
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.flow.first
import java.nio.file.Files
import java.nio.file.Path

/** Opens each backend's section for one [Variant]; the servers (embedded PostgreSQL, mongo-java-server, Redis) are shared by the sections. */
class Backends(private val withAxon: Boolean) : AutoCloseable {
    private val dir: Path = Files.createTempDirectory("estoria-bench-")
    private var sections = 0
    private var mongoServer: MongoServer? = null
    private var mongoUrl: String? = null
    private var postgresReset = false
    private var postgresVersion: String? = null
    private var redis: RedisClient? = null
    private val redisCache: AggregateCache<Tally> by lazy {
        val client = RedisClient.create(RedisTestServer.url()).also { redis = it }
        RedisAggregateCache(client.connect(ByteArrayCodec.INSTANCE), jsonCodec<Tally>())
    }

    /**
     * The Redis cache the aggregate loads measure beside Caffeine, one for the run (its keys are the aggregates'
     * fresh ids), on `ESTORIA_REDIS_URL`, else a Testcontainers Redis, else an embedded redis-server; throws
     * when none resolves.
     */
    fun redisCache(): Pair<String, AggregateCache<Tally>> = "Redis" to redisCache

    /** Where [redisCache]'s server comes from (environment, Testcontainers, embedded). */
    fun redisSource(): String = RedisTestServer.source()

    /** `SHOW server_version` of the PostgreSQL the sections used, once one was opened. */
    fun postgresVersion(): String? = postgresVersion

    /** The test PostgreSQL (embedded unless ESTORIA_POSTGRES_URL is set), or why there is none. */
    val postgresInfo: PostgresConnectionInfo? get() = PostgresTestServer.infoOrNull()

    fun open(kind: String, variant: Variant): Backend {
        val n = ++sections
        return when (kind) {
            "memory" -> memory(variant)
            "sqlite" -> sqlite(variant, n)
            "postgres" -> postgres(variant, n)
            "mongo" -> mongo(variant, n)
            else -> throw IllegalArgumentException("unknown backend '$kind' (memory, sqlite, postgres, mongo)")
        }
    }

    private fun label(kind: String, variant: Variant) = if (variant == Variant.DEFAULT) kind else "$kind[$variant]"

    private fun memory(variant: Variant): Backend {
        val stores = Stores.memory(variant)
        return Backend(label("memory", variant), "InMemoryEventStore; baseline: a map of per-stream lists", stores, listOf(RawMemoryTarget()), {
            val latency = Stores.memory(variant)
            val signal = AppendSignal()
            LatencySetup("in-process AppendSignal", latency.events.signalling(signal), latency.reader, signal)
        }, emptyList())
    }

    private fun sqlite(variant: Variant, n: Int): Backend {
        val file = dir.resolve("bench-$n.db")
        val ds = SqliteEventStore.dataSource(file)
        val stores = Stores.sqlite(ds, variant, "estoria_")
        val raw = RawJdbcTarget(ds, "estoria_events", postgres = false)
        return Backend(label("sqlite", variant), "file database, the embedded default data source", stores, listOf(raw), {
            val latency = Stores.sqlite(SqliteEventStore.dataSource(dir.resolve("latency-$n.db")), variant, "estoria_")
            val signal = AppendSignal()
            LatencySetup("in-process AppendSignal", latency.events.signalling(signal), latency.reader, signal)
        }, emptyList())
    }

    private fun pool(info: PostgresConnectionInfo, size: Int, name: String) = HikariDataSource(
        HikariConfig().apply {
            jdbcUrl = info.jdbcUrl
            username = info.user
            password = info.password
            maximumPoolSize = size
            poolName = name
        },
    )

    private fun postgres(variant: Variant, n: Int): Backend {
        val info = postgresInfo ?: throw IllegalStateException("no PostgreSQL: ${PostgresTestServer.failure()}")
        val pool = pool(info, 34, "bench-$n")
        if (!postgresReset) {
            pool.connection.use { c ->
                c.createStatement().use { st ->
                    st.execute("DROP SCHEMA IF EXISTS estoria_bench CASCADE")
                    st.execute("DROP SCHEMA IF EXISTS axon_bench CASCADE")
                    st.executeQuery("SHOW server_version").use { rs -> rs.next(); postgresVersion = rs.getString(1) }
                }
            }
            postgresReset = true
        }
        val prefix = "v${n}_"
        val stores = Stores.postgres(pool, variant, prefix)
        val baselines = ArrayList<Target<*>>()
        baselines += RawJdbcTarget(pool, "estoria_bench.${prefix}events", postgres = true)
        if (withAxon) baselines += AxonTarget.create(pool, "axon_bench", "v$n")
        val closers = ArrayList<AutoCloseable>()
        closers += pool
        return Backend(label("postgres", variant), "PostgreSQL ${info.source}", stores, baselines, { scope ->
            val writerPool = pool(info, 4, "latency-writer-$n").also { closers += it }
            val readerPool = pool(info, 4, "latency-reader-$n").also { closers += it }
            val writer = Stores.postgres(writerPool, variant, "lat${n}_")
            val reader = Stores.postgres(readerPool, variant, "lat${n}_")
            val connections = PostgresConnections.of(info.jdbcUrl, info.user, info.password)
            val options = Stores.jdbcOptions(variant, "lat${n}_", schema = "estoria_bench")
            val listener = PostgresAppendListener(connections, options).also { it.start(scope) }
            val notifier = PostgresAppendNotifier(connections, options).also { it.start(scope) }
            listener.sessions.first { it >= 1 }
            LatencySetup("LISTEN/NOTIFY", writer.events.signalling(notifier.signal), reader.reader, listener.signal)
        }, closers, serverCpu = ServerCpu::postgresNanos)
    }

    private fun mongo(variant: Variant, n: Int): Backend {
        val url = mongoUrl ?: MongoServer(MemoryBackend()).let { server ->
            mongoServer = server
            server.bind().let { "mongodb://${it.hostString}:${it.port}" } // a free port on localhost
        }.also { mongoUrl = it }
        val standIn = mongoServer != null
        val client = MongoClient.create(url)
        val db = client.getDatabase("bench_$n")
        val stores = Stores.mongo(db, variant)
        val raw = RawMongoTarget(db)
        kotlinx.coroutines.runBlocking { raw.prepare() }
        val note = if (standIn) "mongo-java-server in-process: a stand-in, not a real mongod (workloads of the profile / 5)" else "MongoDB at $url"
        return Backend(label("mongo", variant), note, stores, listOf(raw), {
            val latency = Stores.mongo(client.getDatabase("bench_latency_$n"), variant)
            LatencySetup("polling only (the stand-in has no change streams)", latency.events, latency.reader, null)
        }, listOf(AutoCloseable { client.close() }), standIn = standIn)
    }

    override fun close() {
        mongoServer?.let { runCatching { it.shutdownNow() } }
        redis?.let { runCatching { it.shutdown() } }
        dir.toFile().deleteRecursively()
    }
}
