package dev.estoria.eventstore

import dev.estoria.event.Event
import dev.estoria.event.GlobalReadOptions
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
     * in position order, at most [maxCount] of them (default `null`: no limit), as a cold [Flow].
     *
     * The read ends at a **frontier fixed when its collection starts**: events that commit while it
     * pages are left to the next read, so a read is finite and a consumer tails the log by reading
     * again from the last position it saw (TCK: `GlobalReaderSuite`, "readAll ends at the frontier of
     * its start and leaves later commits to the next read"). Within one stream, positions rise with the
     * stream version in every expected-version mode.
     */
    public fun readAll(afterPosition: Long = 0, maxCount: Int? = null): Flow<Event>

    /**
     * [readAll] with its arguments as one value ([GlobalReadOptions] checks them when it is built, so a
     * position or count a caller computed wrongly fails at the call site, not inside a store).
     */
    public fun readAll(options: GlobalReadOptions): Flow<Event> = readAll(options.afterPosition, options.maxCount)

    /**
     * The highest position of the stable prefix now (0 when the store is empty): every event at or below
     * it is readable and nothing will later appear at or below it. On PostgreSQL a transaction still
     * writing anywhere on the server holds it back; `GlobalFrontier.frontierStatus` says by how much.
     */
    public suspend fun headPosition(): Long
}
