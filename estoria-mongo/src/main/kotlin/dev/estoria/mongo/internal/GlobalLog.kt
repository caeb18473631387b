package dev.estoria.mongo.internal

import com.mongodb.client.model.Filters
import com.mongodb.client.model.Projections
import com.mongodb.client.model.Sorts
import dev.estoria.event.Event
import dev.estoria.mongo.MongoStoreOptions
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.toList
import org.bson.BsonDocument
import java.util.concurrent.atomic.AtomicLong

/**
 * The global order over the events collections, with the stable-prefix guarantee on a server without
 * transactions. Positions are reserved before documents are written, so a position at or below the
 * frontier may be a **hole**: reserved, not (yet) written. A walk from a position covers the positions
 * above it in order and never steps over a hole that may still fill:
 *
 * - a position covered by an event document, an owner's marker, or a reader's marker in every registered
 *   collection is settled;
 * - a hole followed by a covered position is waited for, up to [MongoStoreOptions.holeTimeout], then
 *   marked by [HoleMarks.markReader]; the unique position index decides whether the writer or the marker
 *   won, and the walk reads the position again;
 * - a hole with nothing covered after it (up to the frontier) ends the walk: nothing later exists to be
 *   returned yet, so nothing is skipped, and the next read takes it up.
 *
 * [headPosition] walks (light documents, no payloads) from the highest position this process has seen
 * settled.
 */
internal class GlobalLog(
    private val collections: EventCollections,
    private val log: PositionLog,
    private val marks: HoleMarks,
    private val options: MongoStoreOptions,
) {
    private val settledWatermark = AtomicLong(0)

    suspend fun frontier(): PositionLog.Frontier = MongoErrors.run("readAll", null) { log.frontier() }

    /** Up to [limit] events above [after] within [frontier]; fewer only at the frontier or before a trailing hole. */
    suspend fun readPage(frontier: PositionLog.Frontier, after: Long, limit: Int): List<Event> = MongoErrors.run("readAll", null) {
        val out = ArrayList<Event>(minOf(limit, 256))
        walk(frontier, after, limit, withEvents = true) { doc, settled ->
            for (event in BatchDocuments.events(doc)) {
                val position = event.globalPosition ?: continue
                if (position > settled && out.size < limit) out += event
            }
            if (out.size < limit) null else out.last().globalPosition
        }
        out
    }

    /** The highest position below which every position is settled, as of now. */
    suspend fun headPosition(): Long = MongoErrors.run("headPosition", null) {
        val frontier = log.frontier()
        val from = settledWatermark.get().coerceAtMost(frontier.last)
        val head = walk(frontier, from, HEAD_PAGE, withEvents = false) { _, _ -> null }
        settledWatermark.accumulateAndGet(head, ::maxOf)
        head
    }

    /**
     * Walks from [after] to [frontier]; [onEvents] gets each event document and the position settled so
     * far and returns `null` to go on, or the position where it stopped (its page is full). Returns the
     * last position settled.
     */
    private suspend fun walk(
        frontier: PositionLog.Frontier,
        after: Long,
        pageDocs: Int,
        withEvents: Boolean,
        onEvents: (BsonDocument, Long) -> Long?,
    ): Long {
        val names = frontier.collections
        var settled = after
        while (settled < frontier.last) {
            // at most pageDocs positions ahead: a position holds one event at most, so no document beyond is needed yet
            val windowEnd = minOf(frontier.last, settled + pageDocs)
            val lists = names.map { fetch(it, windowEnd, settled, withEvents) }
            while (settled < windowEnd) {
                val q = settled + 1
                for (list in lists) while (list.isNotEmpty() && BatchDocuments.lastPosition(list.first()) < q) list.removeFirst()
                val covers = lists.mapNotNull { list -> list.firstOrNull()?.takeIf { BatchDocuments.firstPosition(it) <= q } }
                val alone = covers.firstOrNull(BatchDocuments::settlesAlone)
                if (alone != null) {
                    if (BatchDocuments.isEvents(alone)) onEvents(alone, settled)?.let { return it }
                    settled = BatchDocuments.lastPosition(alone)
                    continue
                }
                if (covers.size == names.size) { // a reader's markers in every collection
                    settled = covers.minOf(BatchDocuments::lastPosition)
                    continue
                }
                val next = lists.flatten().map(BatchDocuments::firstPosition).filter { it > q }.minOrNull()
                    ?: firstBeyond(names, windowEnd, frontier.last)
                    ?: return settled // a trailing hole: nothing later is visible to step over
                // a hole before a visible position: wait for its writer (unless a reader already did), then mark
                resolve(names, q, next - 1, wait = covers.isEmpty())
                break
            }
        }
        return settled
    }

    /** The first position of a document after [windowEnd] (up to [last]) in any of [names], or `null`. */
    private suspend fun firstBeyond(names: List<String>, windowEnd: Long, last: Long): Long? {
        if (windowEnd >= last) return null
        val filter = Filters.and(Filters.gt(BatchDocuments.ID, windowEnd), Filters.lte(BatchDocuments.ID, last))
        return names.mapNotNull { name ->
            collections.plain(name).find(filter).sort(Sorts.ascending(BatchDocuments.ID)).projection(ONLY_ID).limit(1).firstOrNull()
                ?.let(BatchDocuments::firstPosition)
        }.minOrNull()
    }

    /** Waits (bounded) for a writer to fill [first]..[last], then marks what is still empty. */
    private suspend fun resolve(names: List<String>, first: Long, last: Long, wait: Boolean) {
        val targets = names.map { collections.plain(it) }
        if (wait) {
            val deadline = System.nanoTime() + options.holeTimeout.toNanos()
            var pause = 1L
            while (System.nanoTime() < deadline) {
                if (targets.any { marks.anyCovered(it, first, first) }) return
                delay(pause)
                pause = minOf(pause * 2, MAX_PAUSE_MS)
            }
        }
        marks.markReader(targets, first, last)
    }

    /** Documents of [name] with positions above [settled] that start at or before [windowEnd], in position order. */
    private suspend fun fetch(name: String, windowEnd: Long, settled: Long, withEvents: Boolean): ArrayDeque<BsonDocument> {
        val filter = Filters.and(Filters.gt(BatchDocuments.LAST_POSITION, settled), Filters.lte(BatchDocuments.ID, windowEnd))
        val find = collections.plain(name).find(filter).sort(Sorts.ascending(BatchDocuments.LAST_POSITION))
        return ArrayDeque((if (withEvents) find.projection(NO_POSITIONS) else find.projection(LIGHT)).toList())
    }

    private companion object {
        const val HEAD_PAGE = 1000
        const val MAX_PAUSE_MS = 20L
        val LIGHT = Projections.include(BatchDocuments.LAST_POSITION, BatchDocuments.STREAM, BatchDocuments.MARK)
        val NO_POSITIONS = Projections.exclude(BatchDocuments.POSITIONS)
        val ONLY_ID = Projections.include(BatchDocuments.ID)
    }
}
