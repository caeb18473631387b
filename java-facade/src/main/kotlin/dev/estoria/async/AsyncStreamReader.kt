package dev.estoria.async

import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.id.TypeId
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow.Publisher

/**
 * Reads event streams, the async twin of [dev.estoria.eventstore.StreamReader].
 *
 * Reads are cold: nothing happens until a subscriber subscribes, and every subscription reads afresh.
 * A stream that was never written fails with [dev.estoria.error.StreamNotFoundException] (`onError` for a
 * publisher, the future's cause for a list); an existing stream read past its end is empty.
 */
public interface AsyncStreamReader {
    /**
     * The events of [streamId] selected by [options], as a back-pressured [Publisher]: events are read
     * page by page as the subscriber requests them, never loaded whole. Cancelling the subscription stops
     * the read.
     */
    public fun readStream(streamId: TypeId, options: ReadOptions): Publisher<Event>

    /** Every event of [streamId], forward ([ReadOptions.FORWARD]). */
    public fun readStream(streamId: TypeId): Publisher<Event> = readStream(streamId, ReadOptions.FORWARD)

    /**
     * The events of [streamId] selected by [options], collected into an immutable list: a convenience for
     * small streams (an aggregate's stream, a page with `maxCount`). Prefer [readStream] for large ones.
     */
    public fun readStreamList(streamId: TypeId, options: ReadOptions): CompletableFuture<List<Event>>

    /** Every event of [streamId], forward, as a list. */
    public fun readStreamList(streamId: TypeId): CompletableFuture<List<Event>> = readStreamList(streamId, ReadOptions.FORWARD)
}
