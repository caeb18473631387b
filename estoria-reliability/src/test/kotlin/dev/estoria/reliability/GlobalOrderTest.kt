package dev.estoria.reliability

import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A subscriber polling `readAll` while writers append, and (on PostgreSQL) other sessions hold writing
 * transactions open with the row locks of hot streams, so appends queue behind them and commit out of
 * transaction-id order: the subscriber must see every event once, in strictly increasing positions,
 * each stream in version order.
 */
class GlobalOrderTest {
    /** Runs the scenario on [store]; [lockSchema] is the PostgreSQL schema whose stream rows [lockers] sessions lock. */
    fun <S> run(name: String, store: S, lockers: Int, lockSchema: String? = null, appends: Int = Scale.of(ci = 150, soak = 1_000)): Unit where S : EventStore, S : GlobalReader = runBlocking {
        val writers = 6
        val locks = Scale.of(ci = 40, soak = 300)
        val streams = List(4) { TypeId.new("rel_order") }
        val tally = Tally(
            "global-order-subscriber", name,
            "$writers writers x $appends appends on ${streams.size} streams, a polling subscriber" +
                if (lockers > 0) ", $lockers sessions x $locks open writing transactions holding stream row locks" else "",
        )
        val ledger = Ledger()
        for (s in streams) ledger.acknowledged(s, store.appendStream(s, listOf(event(0)), ExpectedVersion.NoStream))
        val done = AtomicBoolean(false)
        val seen = ArrayList<Event>()
        val subscriber = launch(Dispatchers.IO) {
            var after = 0L
            var polls = 0L
            while (true) {
                val finished = done.get()
                val page = store.readAll(after).toList()
                polls++
                seen += page
                page.lastOrNull()?.globalPosition?.let { after = it }
                if (finished && page.isEmpty()) break
                if (page.isEmpty()) delay(5) // idle back-off of a polling subscriber
            }
            tally.note("subscriber polls", polls)
        }
        val lockJobs = (0 until lockers).map { l ->
            async(Dispatchers.IO) {
                val random = Random(1000 + l)
                Databases.postgresConnection().use { c ->
                    repeat(locks) {
                        c.autoCommit = false
                        c.createStatement().use { st -> st.executeQuery("SELECT txid_current()").close() }
                        c.prepareStatement("SELECT stream_version FROM $lockSchema.estoria_streams WHERE stream_id = ? FOR UPDATE").use { ps ->
                            ps.setString(1, streams[random.nextInt(streams.size)].toString())
                            ps.executeQuery().close()
                        }
                        tally.faults.incrementAndGet()
                        delay(1L + random.nextInt(15)) // how long appends queue; no outcome depends on it
                        c.rollback()
                    }
                }
            }
        }
        (1..writers).map { w ->
            async(Dispatchers.IO) {
                val random = Random(w)
                repeat(appends) { n ->
                    val stream = streams[random.nextInt(streams.size)]
                    val batch = List(1 + random.nextInt(3)) { event(w * 100_000 + n * 10 + it) }
                    tally.cases.incrementAndGet()
                    ledger.acknowledged(stream, store.appendStream(stream, batch, ExpectedVersion.Any))
                }
            }
        }.awaitAll()
        lockJobs.awaitAll()
        done.set(true)
        subscriber.join()

        val all = withContext(Dispatchers.IO) { store.readAll(0).toList() }
        val seenIds = seen.map { it.id }
        tally.eventsChecked.addAndGet(seen.size.toLong())
        tally.duplicated.addAndGet((seenIds.size - seenIds.toSet().size).toLong())
        tally.skipped.addAndGet((all.map { it.id }.toSet() - seenIds.toSet()).size.toLong())
        val positions = seen.map { it.globalPosition ?: Long.MIN_VALUE }
        tally.misordered.addAndGet(positions.zipWithNext().count { (a, b) -> a >= b }.toLong())
        for ((_, events) in seen.groupBy { it.streamId }) {
            tally.misordered.addAndGet(events.map { it.streamVersion }.zipWithNext().count { (a, b) -> b != a + 1 }.toLong())
        }
        val consistent = ledger.verify(store, tally)
        Figures.record(tally)
        assertEquals(ledger.acknowledgedCount, seen.size, "the subscriber saw every acknowledged event")
        assertEquals(all, seen, "the subscriber saw exactly the log, positions and all")
        assertTrue(consistent && tally.skipped.get() == 0L && tally.duplicated.get() == 0L && tally.misordered.get() == 0L, "${tally.figure()}")
    }

    private fun event(n: Int): WritableEvent = WritableEvent.of("rel_ordered", """{"n":$n}""".encodeToByteArray())

    @Test
    fun `postgresql - a polling subscriber skips and repeats nothing while open transactions hold appends behind row locks`() =
        Databases.postgres("order").let { run(it.name, it.store, lockers = 2, lockSchema = it.options.schema) }

    @Test
    fun `sqlite - a polling subscriber skips and repeats nothing under concurrent writers`() = Databases.sqlite("order").let { run(it.name, it.store, lockers = 0) }
}
