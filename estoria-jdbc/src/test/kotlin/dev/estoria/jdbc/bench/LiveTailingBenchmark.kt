package dev.estoria.jdbc.bench

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.live.PostgresAppendListener
import dev.estoria.jdbc.live.PostgresAppendNotifier
import dev.estoria.jdbc.live.PostgresConnections
import dev.estoria.projection.AppendSignal
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.projection.projection
import dev.estoria.projection.signalling
import dev.estoria.testkit.Tck
import dev.estoria.testkit.servers.postgres.PostgresConnectionInfo
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.random.Random
import kotlin.system.exitProcess

/**
 * Commit-to-handler latency of a live processor: the time from an append's return to the handler call for
 * its event, with sparse appends (a random pause of 10–150 ms between them, so the processor is idle and
 * backing off as in production), on the embedded PostgreSQL (processor on a second store with its own pool,
 * woken by LISTEN/NOTIFY, or polling only) and on SQLite (in-process AppendSignal, or polling only). The
 * processor's idle back-off is the default (10 ms doubling to 1 s). See docs/live-tailing.md for the command.
 */
object LiveTailingBenchmark {
    private class Result(val name: String, val p50: Double, val p99: Double, val max: Double)

    @JvmStatic
    fun main(args: Array<String>) {
        val events = args.firstOrNull()?.toIntOrNull() ?: 150
        val info = PostgresTestServer.infoOrNull() ?: run {
            System.err.println("no PostgreSQL: ${PostgresTestServer.failure()}")
            exitProcess(2)
        }
        println("PostgreSQL ${info.source}: ${info.jdbcUrl}; $events events per scenario (+10 warm-up)")
        val results = runBlocking(Dispatchers.Default) {
            listOf(
                postgres(info, events, notify = true),
                postgres(info, events, notify = false),
                sqlite(events, signal = true),
                sqlite(events, signal = false),
            )
        }
        println()
        println("| scenario | p50 ms | p99 ms | max ms |")
        println("|---|---:|---:|---:|")
        for (r in results) println("| ${r.name} | ${"%.2f".format(r.p50)} | ${"%.2f".format(r.p99)} | ${"%.2f".format(r.max)} |")
        exitProcess(0)
    }

    private fun pool(info: PostgresConnectionInfo, name: String) = HikariDataSource(
        HikariConfig().apply {
            jdbcUrl = info.jdbcUrl
            username = info.user
            password = info.password
            maximumPoolSize = 4
            poolName = name
        },
    )

    private suspend fun postgres(info: PostgresConnectionInfo, events: Int, notify: Boolean): Result {
        val options = JdbcStoreOptions.builder().tablePrefix("ltb${UUID.randomUUID().toString().take(6)}_").build()
        val connections = PostgresConnections.of(info.jdbcUrl, info.user, info.password)
        pool(info, "writer").use { writerPool ->
            pool(info, "reader").use { readerPool ->
                val writer = PostgresEventStore.create(writerPool, options)
                val reader = PostgresEventStore.create(readerPool, options)
                val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
                try {
                    val listener = if (notify) PostgresAppendListener(connections, options).also { it.start(scope) } else null
                    val notifier = if (notify) PostgresAppendNotifier(connections, options).also { it.start(scope) } else null
                    listener?.sessions?.first { it >= 1 }
                    val append = notifier?.let { writer.signalling(it.signal) } ?: writer
                    val name = "PostgreSQL, ${if (notify) "LISTEN/NOTIFY" else "polling only"}"
                    return measure(name, append, reader, listener?.signal, scope, events)
                } finally {
                    scope.coroutineContext[kotlinx.coroutines.Job]?.cancelAndJoin()
                }
            }
        }
    }

    private suspend fun sqlite(events: Int, signal: Boolean): Result {
        val dir = Files.createTempDirectory("estoria-live-bench-")
        try {
            val store = SqliteEventStore.create(SqliteEventStore.dataSource(dir.resolve("bench.db")))
            val wake = if (signal) AppendSignal() else null
            val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
            try {
                val name = "SQLite, ${if (signal) "in-process AppendSignal" else "polling only"}"
                return measure(name, wake?.let { store.signalling(it) } ?: store, store, wake, scope, events)
            } finally {
                scope.coroutineContext[kotlinx.coroutines.Job]?.cancelAndJoin()
            }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    /** Appends [events] single-event streams with random pauses; latency = handler time - append return. */
    private suspend fun measure(name: String, writer: EventStore, reader: GlobalReader, wake: AppendSignal?, scope: CoroutineScope, events: Int): Result {
        val returned = ConcurrentHashMap<TypeId, Long>()
        val handled = ConcurrentHashMap<TypeId, Long>()
        val count = MutableStateFlow(0)
        val checkpoints = InMemoryCheckpointStore()
        val p = projection("bench-${UUID.randomUUID()}") {
            onAny { e, _ ->
                handled.putIfAbsent(e.streamId, System.nanoTime())
                count.update { it + 1 }
            }
        }
        checkpoints.save(p.checkpointName, reader.headPosition())
        val processor = ProjectionProcessor(p, reader, checkpoints, ProjectionOptions.builder().wakeUp(wake).build())
        processor.start(scope)
        processor.awaitCaughtUp()
        val random = Random(42)
        val streams = List(events + 10) { Tck.newStreamId() }
        for ((i, stream) in streams.withIndex()) {
            delay(random.nextLong(10, 150))
            writer.appendStream(stream, listOf(Tck.event(i)), ExpectedVersion.NoStream)
            returned[stream] = System.nanoTime()
        }
        count.first { it >= streams.size }
        processor.stop()
        val latencies = streams.drop(10).map { s ->
            val end = handled.getValue(s)
            val start = returned.getValue(s)
            maxOf(0L, end - start) / 1_000_000.0
        }.sorted()
        fun pct(q: Double) = latencies[((latencies.size - 1) * q).toInt()]
        return Result(name, pct(0.50), pct(0.99), latencies.last()).also {
            println("$name: p50 ${"%.2f".format(it.p50)} ms, p99 ${"%.2f".format(it.p99)} ms, max ${"%.2f".format(it.max)} ms")
        }
    }
}
