package dev.estoria.reliability

import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * What the writers of a test were told: every acknowledged event (as the append returned it) and the
 * ids of every event of a refused append. [verify] compares it with what the store holds.
 */
class Ledger {
    private val acked = ConcurrentHashMap<TypeId, ConcurrentLinkedQueue<Event>>()
    private val refused = ConcurrentLinkedQueue<TypeId>()

    /** Streams the ledger knows (written or attempted). */
    val streams: MutableSet<TypeId> = ConcurrentHashMap.newKeySet()

    fun acknowledged(streamId: TypeId, result: AppendResult) {
        streams += streamId
        acked.computeIfAbsent(streamId) { ConcurrentLinkedQueue() }.addAll(result.events)
    }

    fun refused(streamId: TypeId, batch: List<WritableEvent>) {
        streams += streamId
        refused.addAll(batch.map { it.id })
    }

    val acknowledgedCount: Int get() = acked.values.sumOf { it.size }
    val refusedCount: Int get() = refused.size

    /**
     * Checks the store against the ledger and adds the counts to [tally]: lost (an acknowledged event
     * missing or stored differently), duplicated (an event id stored twice, or a refused event stored),
     * misordered (versions not 1..n without gaps, or a stream's events out of order in the global log),
     * skipped (an event in a stream that the global log does not hold). Returns whether all counts are 0.
     */
    suspend fun verify(store: EventStore, tally: Tally): Boolean {
        val before = listOf(tally.lost.get(), tally.duplicated.get(), tally.misordered.get(), tally.skipped.get())
        val stored = HashMap<TypeId, List<Event>>()
        for (stream in streams) {
            val events = try {
                store.readStream(stream).toList()
            } catch (e: StreamNotFoundException) {
                emptyList()
            }
            stored[stream] = events
            tally.eventsChecked.addAndGet(events.size.toLong())
            val byId = events.groupBy { it.id }
            tally.duplicated.addAndGet(byId.values.sumOf { it.size - 1 }.toLong())
            for (event in acked[stream].orEmpty()) {
                if (byId[event.id]?.singleOrNull() != event) tally.lost.incrementAndGet()
            }
            if (events.map { it.streamVersion } != (1L..events.size).toList()) tally.misordered.incrementAndGet()
        }
        val allIds = stored.values.flatten().mapTo(HashSet()) { it.id }
        tally.duplicated.addAndGet(refused.count { it in allIds }.toLong())
        if (store is GlobalReader) {
            val global = store.readAll(0).toList().filter { it.streamId in streams }
            val positions = global.map { it.globalPosition ?: Long.MIN_VALUE }
            if (positions.zipWithNext().any { (a, b) -> a >= b }) tally.misordered.incrementAndGet()
            for ((stream, events) in global.groupBy { it.streamId }) {
                if (events != stored[stream]) {
                    val missing = stored[stream].orEmpty().toSet() - events.toSet()
                    tally.skipped.addAndGet(missing.size.toLong())
                    if (missing.isEmpty()) tally.misordered.incrementAndGet()
                }
            }
            val missingStreams = stored.filter { (id, events) -> events.isNotEmpty() && global.none { it.streamId == id } }
            tally.skipped.addAndGet(missingStreams.values.sumOf { it.size }.toLong())
        }
        val after = listOf(tally.lost.get(), tally.duplicated.get(), tally.misordered.get(), tally.skipped.get())
        return before == after
    }
}
