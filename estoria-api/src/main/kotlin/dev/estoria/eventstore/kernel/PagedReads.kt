package dev.estoria.eventstore.kernel

import dev.estoria.event.GlobalReadOptions
import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The kernel's paged reads, shared by every backend: a backend supplies "read one page" and gets a cold
 * [Flow] that reads page after page, emitting each page outside the backend's call, with one stop rule:
 * **a page shorter than asked for is the last one** (so an empty stream or log costs one call, and a
 * read never asks for a page past the end it has already seen).
 *
 * TCK: `EventStoreSuite` (reading clauses) and `GlobalReaderSuite`.
 */
@EstoriaSpi
public object PagedReads {
    /**
     * Reads a stream per [options], [pageSize] events at most per call of [readPage]. Each collection
     * reads afresh. The first request has [StreamPageRequest.first] set; later requests continue after
     * the last version emitted (forward) or before it (backward), and stop at version 1.
     */
    public fun stream(
        options: ReadOptions,
        pageSize: Int,
        readPage: suspend (StreamPageRequest) -> List<Event>,
    ): Flow<Event> {
        requirePageSize(pageSize)
        return flow {
            var remaining = options.maxCount?.toLong() ?: Long.MAX_VALUE
            var next: Long? = options.fromVersion
            var first = true
            while (remaining > 0) {
                val limit = minOf(remaining, pageSize.toLong()).toInt()
                val page = readPage(StreamPageRequest(next, options.direction, limit, first))
                first = false
                for (event in page) emit(event)
                if (page.size < limit) break
                remaining -= page.size
                val last = page.last().streamVersion
                next = if (options.direction == ReadDirection.FORWARD) last + 1 else last - 1
                if (next < 1) break
            }
        }
    }

    /**
     * Reads the global log after [afterPosition] (>= 0), at most [maxCount] events (>= 1; `null`: no
     * limit), [pageSize] at most per call of [readPage], and ends at the **frontier fixed when the
     * collection starts**: [frontier] is asked once per collection, before the first page, and every
     * page is read with that same value, so events that commit while the read pages are left to the next
     * read (a consumer tails the log by reading again from the last position it saw). Bad arguments fail
     * the collection with [InvalidInputException] before [frontier] is asked.
     *
     * @param frontier the backend's upper bound of this read (a position, a snapshot bound, …).
     * @param readPage events with positions above its `after`, within its frontier, in position order,
     *   at most `limit` of them.
     */
    public fun <F> global(
        afterPosition: Long,
        maxCount: Int?,
        pageSize: Int,
        frontier: suspend () -> F,
        readPage: suspend (frontier: F, after: Long, limit: Int) -> List<Event>,
    ): Flow<Event> {
        requirePageSize(pageSize)
        return flow {
            GlobalReadOptions(afterPosition, maxCount) // checks both
            val bound = frontier()
            var remaining = maxCount?.toLong() ?: Long.MAX_VALUE
            var after = afterPosition
            while (remaining > 0) {
                val limit = minOf(remaining, pageSize.toLong()).toInt()
                val page = readPage(bound, after, limit)
                for (event in page) emit(event)
                if (page.size < limit) break
                remaining -= page.size
                after = page.last().globalPosition ?: break
            }
        }
    }

    private fun requirePageSize(pageSize: Int) {
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
    }
}
