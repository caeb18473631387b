package dev.estoria.eventstore

import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId

/** Appends to event streams. */
public interface StreamWriter {
    /**
     * Appends [events] to [streamId] atomically (all or none) if the stream satisfies [expected]
     * (default [ExpectedVersion.Any]), and returns the events exactly as a later read returns them.
     *
     * - A mismatch throws [dev.estoria.error.StreamVersionConflictException] and writes nothing.
     * - An empty [events] list is a no-op that creates no stream (the version check still applies).
     * - Re-appending a batch whose event ids are already stored, as the same batch at the same versions,
     *   returns the original result; an event id reused for other content throws
     *   [dev.estoria.error.DuplicateEventException].
     * - Two events of one batch may not share an id ([dev.estoria.error.InvalidInputException]), and the
     *   caller's objects are never mutated.
     *
     * TCK: `EventStoreSuite`.
     */
    public suspend fun appendStream(
        streamId: TypeId,
        events: List<WritableEvent>,
        expected: ExpectedVersion = ExpectedVersion.Any,
    ): AppendResult
}
