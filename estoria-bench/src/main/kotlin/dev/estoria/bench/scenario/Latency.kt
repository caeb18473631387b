package dev.estoria.bench.scenario

import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.bench.Payloads
import dev.estoria.id.TypeId
import dev.estoria.projection.AppendSignal
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.projection.projection
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.random.Random

/** What the latency probe writes through ([writer], which wakes [wake] if any) and what the processor reads. */
class LatencySetup(val wake: String, val writer: EventStore, val reader: GlobalReader, val signal: AppendSignal?)

/**
 * Commit-to-handler latency of a live projection processor (as estoria-jdbc's LiveTailingBenchmark measures
 * it): sparse single-event appends (a random pause of 10–150 ms between them, so the processor is idle and
 * backing off as in production); latency = the handler's call minus the append's return. p50/p99/max in ms.
 */
class Latency(private val events: Int) {
    suspend fun measure(backend: String, setup: LatencySetup, scope: CoroutineScope): LatencyResult {
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
        checkpoints.save(p.checkpointName, setup.reader.headPosition())
        val processor = ProjectionProcessor(p, setup.reader, checkpoints, ProjectionOptions.builder().wakeUp(setup.signal).build())
        processor.start(scope)
        processor.awaitCaughtUp()
        val random = Random(42)
        val streams = List(events + 5) { TypeId.new("bench") }
        for (stream in streams) {
            delay(random.nextLong(10, 150))
            setup.writer.appendStream(stream, Payloads.events(1), ExpectedVersion.NoStream)
            returned[stream] = System.nanoTime()
        }
        count.first { it >= streams.size }
        processor.stop()
        val latencies = streams.drop(5).map { s -> maxOf(0L, handled.getValue(s) - returned.getValue(s)) / 1e6 }.sorted()
        fun pct(q: Double) = latencies[((latencies.size - 1) * q).toInt()]
        return LatencyResult(backend, setup.wake, latencies.size, pct(0.50), pct(0.99), latencies.last())
    }
}
