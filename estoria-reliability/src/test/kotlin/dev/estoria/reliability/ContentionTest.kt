package dev.estoria.reliability

import com.github.benmanes.caffeine.cache.Caffeine
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Contention on PostgreSQL and SQLite: many writers of one stream with `Exact` and retry, a few hot
 * streams with `Any` and `StreamExists`, and `update` from 16 callers through the full layer stack.
 */
class ContentionTest {
    private fun event(writer: Int, n: Int): WritableEvent = WritableEvent.of("rel_appended", """{"w":$writer,"n":$n}""".encodeToByteArray())

    private fun batch(writer: Int, n: Int, random: Random): List<WritableEvent> = List(1 + random.nextInt(3)) { event(writer, n * 10 + it) }

    /**
     * Optimistic concurrency must never lose or duplicate an acknowledged write: every writer appends with
     * `Exact` (its last known version) and on a conflict retries with the version the conflict reports.
     */
    fun exactWithRetry(name: String, store: EventStore, appends: Int = Scale.of(ci = 500, soak = 2_000)): Unit = runBlocking {
        val writers = 8
        val tally = Tally("contention-exact-one-stream", name, "$writers writers x $appends appends (1-3 events) on one stream, Exact + retry")
        val ledger = Ledger()
        val stream = TypeId.new("rel_stream")
        (0 until writers).map { w ->
            async(Dispatchers.IO) {
                val random = Random(w)
                var known = 0L
                var done = 0
                while (done < appends) {
                    val batch = batch(w, done, random)
                    tally.cases.incrementAndGet()
                    try {
                        val result = store.appendStream(stream, batch, ExpectedVersion.Exact(known))
                        ledger.acknowledged(stream, result)
                        known = result.nextExpectedVersion
                        done++
                    } catch (e: StreamVersionConflictException) {
                        ledger.refused(stream, batch)
                        tally.note("conflicts (refused, retried)")
                        known = e.actual
                    }
                }
            }
        }.awaitAll()
        assertTrue(ledger.verify(store, tally), "figures: ${tally.figure()}")
        assertEquals(ledger.acknowledgedCount.toLong(), tally.eventsChecked.get())
        tally.note("acknowledged appends", (writers * appends).toLong())
        Figures.record(tally)
        Unit
    }

    /** `Any` and `StreamExists` never refuse an existing stream, and under contention nothing is lost or reordered. */
    fun hotStreams(name: String, store: EventStore, appends: Int = Scale.of(ci = 500, soak = 2_000)): Unit = runBlocking {
        val writers = 8
        val streams = List(3) { TypeId.new("rel_hot") }
        val tally = Tally("contention-hot-streams", name, "$writers writers x $appends appends on ${streams.size} hot streams, Any and StreamExists")
        val ledger = Ledger()
        for (s in streams) ledger.acknowledged(s, store.appendStream(s, listOf(event(-1, 0)), ExpectedVersion.NoStream))
        (0 until writers).map { w ->
            async(Dispatchers.IO) {
                val random = Random(100 + w)
                repeat(appends) { n ->
                    val stream = streams[random.nextInt(streams.size)]
                    val expected = if (random.nextBoolean()) ExpectedVersion.Any else ExpectedVersion.StreamExists
                    tally.cases.incrementAndGet()
                    tally.note("appends with $expected")
                    ledger.acknowledged(stream, store.appendStream(stream, batch(w, n, random), expected))
                }
            }
        }.awaitAll()
        assertTrue(ledger.verify(store, tally), "figures: ${tally.figure()}")
        assertEquals(ledger.acknowledgedCount.toLong(), tally.eventsChecked.get())
        Figures.record(tally)
        Unit
    }

    /**
     * `update` retries on conflicts through the canonical stack (snapshots + Caffeine + hooks): with 16
     * callers on one aggregate, the state counts exactly the updates that returned, every event carries
     * the hook's metadata, and the stack loads exactly what a plain replay loads.
     */
    fun updateThroughTheStack(name: String, store: EventStore, snapshots: SnapshotStore): Unit = runBlocking {
        val callers = 16
        val updates = Scale.of(ci = 16, soak = 60)
        val tally = Tally("contention-update-full-stack", name, "$callers callers x $updates update() on one aggregate through snapshots + Caffeine + hooks")
        val definition = TckCounter.definition
        val plain = EventSourcedAggregateStore(store, definition)
        val cache = CaffeineAggregateCache.create<TckCounter>()
        val stack = HookableAggregateStore(
            CachingAggregateStore(SnapshottingAggregateStore(EventSourcedAggregateStore(store, definition), snapshots, SnapshotPolicy.everyNEvents(5)), cache),
        ) { beforeSave { it.putMetadata("rel_hook", "ran") } }
        val first = stack.new()
        first.append(TckCounter.Added(0))
        stack.save(first)
        val id = first.id
        val retry = RetryPolicy(maxAttempts = 200, initialDelay = java.time.Duration.ofMillis(1), maxDelay = java.time.Duration.ofMillis(20))
        val results = (0 until callers).map {
            async(Dispatchers.IO) {
                var ok = 0
                repeat(updates) {
                    tally.cases.incrementAndGet()
                    try {
                        stack.update(id, retry) { listOf(TckCounter.Added(1)) }
                        ok++
                    } catch (e: StreamVersionConflictException) {
                        tally.note("gave up after ${e.attempts} attempts")
                    }
                }
                ok
            }
        }.awaitAll()
        val succeeded = results.sum().toLong()
        val replayed = plain.load(id)
        val events = store.readStream(id).toList()
        tally.eventsChecked.addAndGet(events.size.toLong())
        tally.lost.addAndGet(maxOf(0, succeeded - replayed.state.value))
        tally.duplicated.addAndGet(maxOf(0, replayed.state.value - succeeded))
        if (events.map { it.streamVersion } != (1L..events.size).toList()) tally.misordered.incrementAndGet()
        tally.note("updates that returned", succeeded)
        tally.note("events without the hook's metadata", events.count { it.metadata["rel_hook"] != "ran" }.toLong())
        Figures.record(tally)
        Unit
        assertEquals(succeeded, replayed.state.value, "the state counts every update that returned, once")
        assertEquals(succeeded + 1, replayed.version)
        assertEquals(0, tally.misordered.get())
        assertTrue(events.all { it.metadata["rel_hook"] == "ran" }, "every save went through the hooks")
        assertEquals(replayed.state, stack.load(id).state, "the stack loads what a plain replay loads")
        assertEquals(replayed.state, cache.get(id)?.state ?: replayed.state)
    }

    @Test
    fun `postgresql - eight writers with Exact and retry lose and duplicate nothing`() = Databases.postgres("exact").let { exactWithRetry(it.name, it.store) }

    @Test
    fun `sqlite - eight writers with Exact and retry lose and duplicate nothing`() = Databases.sqlite("exact").let { exactWithRetry(it.name, it.store) }

    @Test
    fun `postgresql - hot streams with Any and StreamExists keep every append in order`() = Databases.postgres("hot").let { hotStreams(it.name, it.store) }

    @Test
    fun `sqlite - hot streams with Any and StreamExists keep every append in order`() = Databases.sqlite("hot").let { hotStreams(it.name, it.store) }

    @Test
    fun `postgresql - update from 16 callers through the full stack counts every update once`() {
        val backend = Databases.postgres("update")
        updateThroughTheStack(backend.name, backend.store, JdbcSnapshotStore.postgres(backend.dataSource, backend.options, keepLast = 2))
    }

    @Test
    fun `sqlite - update from 16 callers through the full stack counts every update once`() {
        val backend = Databases.sqlite("update")
        updateThroughTheStack(backend.name, backend.store, JdbcSnapshotStore.sqlite(backend.dataSource, backend.options, keepLast = 2))
    }
}
