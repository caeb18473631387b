package dev.estoria.kurrent.internal

import dev.estoria.event.Event
import kotlinx.coroutines.flow.toList

/**
 * `readAll` over `$all`, filtered **client-side while paging**: the Java client's `readAll` has no
 * server-side filter, so every record is read and system records (`$`-streams, `$`-types: stats,
 * metadata, tombstones, links) and streams of other prefixes or applications are dropped. (The other
 * way, a filtered catch-up subscription stopped at the frontier, filters on the server but turns a
 * bounded read into a subscription with its own lifecycle and buffering; a read is the simpler sound
 * choice, and its cost is the share of foreign records in the scanned range.)
 *
 * Positions are `$all` commit positions; [page] fills one page of at most `limit` own events by raw
 * reads of [rawPage] records, and never goes past the read's frontier.
 */
internal class GlobalLog(private val port: KurrentClientPort, private val names: StreamNames, pageSize: Int) {
    private val rawPage = maxOf(pageSize, 2).toLong()

    /** The commit position of the last record of `$all` now (0 when empty): the frontier of one read. */
    suspend fun frontier(): Long = call { port.readAll(null, forward = false, maxCount = 1).toList().firstOrNull()?.commitPosition ?: 0L }

    /** Up to [limit] of this store's events with positions in (`after`, [frontier]], in position order. */
    suspend fun page(frontier: Long, after: Long, limit: Int): List<Event> = call { pageOf(frontier, after, limit) }

    private suspend fun pageOf(frontier: Long, after: Long, limit: Int): List<Event> {
        val out = ArrayList<Event>(minOf(limit, rawPage.toInt()))
        var from = after
        while (true) {
            val raw = port.readAll(if (from == 0L) null else from, forward = true, maxCount = rawPage).toList()
            for (record in raw) {
                val position = record.commitPosition ?: continue
                if (position <= from) continue // the start position is inclusive
                if (position > frontier) return out
                own(record)?.let { out += it }
                if (out.size == limit) return out
            }
            if (raw.size < rawPage) return out
            from = raw.last().commitPosition ?: return out
        }
    }

    /** The position of this store's last event (0 when it has none), scanning `$all` backward from its end. */
    suspend fun head(): Long = call { headOf() }

    private suspend fun headOf(): Long {
        var below: Long? = null
        while (true) {
            val raw = port.readAll(below, forward = false, maxCount = rawPage).toList()
            for (record in raw) {
                val position = record.commitPosition ?: continue
                if (below != null && position >= below) continue
                if (isOwn(record)) return position
            }
            if (raw.size < rawPage) return 0L
            below = raw.last().commitPosition ?: return 0L
        }
    }

    private fun isOwn(record: KurrentRecord): Boolean = !record.eventType.startsWith("$") && names.parse(record.stream) != null

    private fun own(record: KurrentRecord): Event? {
        if (record.eventType.startsWith("$")) return null
        val streamId = names.parse(record.stream) ?: return null
        return Envelope.decode(record, streamId)
    }

    private inline fun <T> call(block: () -> T): T = try {
        block()
    } catch (e: Exception) {
        throw KurrentErrors.other(e, "readAll", null)
    }
}
