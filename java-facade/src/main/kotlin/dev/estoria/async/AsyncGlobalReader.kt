package dev.estoria.async

import dev.estoria.event.Event
import dev.estoria.event.GlobalReadOptions
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow.Publisher

/**
 * Optional capability: reads every stream in one global order, the async twin of
 * [dev.estoria.eventstore.GlobalReader]. Get it with [AsyncEventStore.globalReader].
 *
 * Positions strictly increase, may have gaps and form a stable prefix: resuming after the last
 * position seen never skips an event.
 */
public interface AsyncGlobalReader {
    /** Events with a position strictly greater than [afterPosition], at most [maxCount] (>= 1) of them. */
    public fun readAll(afterPosition: Long, maxCount: Int): Publisher<Event>

    /** Every event visible now with a position strictly greater than [afterPosition]. */
    public fun readAll(afterPosition: Long): Publisher<Event>

    /** Every event visible now, from the start. */
    public fun readAll(): Publisher<Event> = readAll(0L)

    /** [readAll] with its arguments as one value ([GlobalReadOptions] checks them when it is built). */
    public fun readAll(options: GlobalReadOptions): Publisher<Event> {
        val max = options.maxCount
        return if (max == null) readAll(options.afterPosition) else readAll(options.afterPosition, max)
    }

    /** The highest position of the stable prefix now (0 when the store is empty). */
    public fun headPosition(): CompletableFuture<Long>
}
