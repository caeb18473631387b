package dev.estoria.eventstore

import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow

/** Reads event streams. */
public interface StreamReader {
    /**
     * Reads the events of [streamId] as a cold [Flow]: nothing happens until it is collected, and each
     * collection reads afresh. Large streams are read in pages, never loaded whole.
     *
     * The flow fails with [dev.estoria.error.StreamNotFoundException] when the stream was never written (or
     * was deleted); an existing stream read past its end is just empty.
     *
     * TCK: `EventStoreSuite` ("reading a never-written stream fails with StreamNotFoundException", "reading past
     * the end of a stream is empty", forward/backward/fromVersion/maxCount clauses).
     */
    public fun readStream(streamId: TypeId, options: ReadOptions = ReadOptions.FORWARD): Flow<Event>
}
