package dev.estoria.eventstore

import dev.estoria.event.Event
import kotlinx.coroutines.flow.Flow

/**
 * Optional capability: reads every stream's events in one global order.
 *
 * Positions strictly increase, may have gaps, equal the [Event.globalPosition] that stream reads
 * report, and form a **stable prefix**: once an event at position p was returned, no event will later
 * appear at or below p, whatever the commit order of concurrent writers. A subscriber that resumes
 * after the last position it saw therefore never skips an event.
 *
 * TCK: `GlobalReaderSuite`.
 */
public interface GlobalReader {
    /**
     * Reads events with a position strictly greater than [afterPosition] (default 0: from the start),
     * in position order, at most [maxCount] of them (default `null`: all that are visible now), as a
     * cold [Flow].
     */
    public fun readAll(afterPosition: Long = 0, maxCount: Int? = null): Flow<Event>

    /** The highest position of the stable prefix now (0 when the store is empty). */
    public suspend fun headPosition(): Long
}
