package dev.estoria.reliability

import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.projection
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.Collections
import java.util.concurrent.atomic.AtomicLong
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The projection processor tailing the log while writers append to many streams: its handler sees every
 * acknowledged event exactly once (no restart here), positions strictly increasing, each stream in order.
 */
class ProjectionTest {
    private fun <S> run(name: String, store: S, checkpoints: CheckpointStore): Unit where S : EventStore, S : GlobalReader = runBlocking {
        val writers = 6
        val appends = Scale.of(ci = 100, soak = 1_000)
        val tally = Tally("projection-processor-tail", name, "a processor tailing the log while $writers writers x $appends appends write 12 streams")
        val handled = Collections.synchronizedList(ArrayList<Event>())
        val p = projection("rel_tail_${System.nanoTime()}") { onAny { event, _ -> handled += event } }
        val options = ProjectionOptions.builder().batchSize(50).idleBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()
        val processor = ProjectionProcessor(p, store, checkpoints, options)
        processor.start(this)
        val ledger = Ledger()
        // awaited instead of headPosition(): a transaction running elsewhere on the server may hold the
        // stable prefix below the writers' last events for a moment (PostgreSQL)
        val last = AtomicLong()
        val streams = List(12) { TypeId.new("rel_proj") }
        (1..writers).map { w ->
            async(Dispatchers.IO) {
                val random = Random(w)
                repeat(appends) { n ->
                    val s = streams[random.nextInt(streams.size)]
                    val batch = List(1 + random.nextInt(2)) { WritableEvent.of("rel_projected", """{"w":$w,"n":$n,"i":$it}""".encodeToByteArray()) }
                    val result = store.appendStream(s, batch, ExpectedVersion.Any)
                    ledger.acknowledged(s, result)
                    result.events.forEach { e -> last.accumulateAndGet(e.globalPosition ?: 0L, ::maxOf) }
                    tally.cases.incrementAndGet()
                }
            }
        }.awaitAll()
        withTimeout(120_000) { processor.awaitPosition(last.get()) }
        processor.stop()
        val seen = handled.toList()
        val ids = seen.map { it.id }
        tally.eventsChecked.addAndGet(seen.size.toLong())
        tally.duplicated.addAndGet((ids.size - ids.toSet().size).toLong())
        tally.skipped.addAndGet(maxOf(0, ledger.acknowledgedCount - ids.toSet().size).toLong())
        tally.misordered.addAndGet(seen.map { it.globalPosition ?: 0 }.zipWithNext().count { (a, b) -> a >= b }.toLong())
        for ((_, events) in seen.groupBy { it.streamId }) {
            tally.misordered.addAndGet(events.map { it.streamVersion }.zipWithNext().count { (a, b) -> b != a + 1 }.toLong())
        }
        Figures.record(tally)
        assertEquals(ledger.acknowledgedCount, seen.size, "${tally.figure()}")
        assertTrue(tally.duplicated.get() == 0L && tally.skipped.get() == 0L && tally.misordered.get() == 0L, "${tally.figure()}")
    }

    @Test
    fun `postgresql - the processor handles every event once and in order under concurrent writers`() {
        val b = Databases.postgres("proj")
        run(b.name, b.store, JdbcCheckpointStore.postgres(b.dataSource, b.options))
    }

    @Test
    fun `sqlite - the processor handles every event once and in order under concurrent writers`() {
        val b = Databases.sqlite("proj")
        run(b.name, b.store, JdbcCheckpointStore.sqlite(b.dataSource, b.options))
    }
}
