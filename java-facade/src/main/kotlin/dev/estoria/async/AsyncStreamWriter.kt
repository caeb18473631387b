package dev.estoria.async

import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import java.util.concurrent.CompletableFuture

/** Appends to event streams, the async twin of [dev.estoria.eventstore.StreamWriter]. */
public interface AsyncStreamWriter {
    /**
     * Appends [events] to [streamId] atomically if the stream satisfies [expected]; completes with the
     * events exactly as a later read returns them.
     *
     * The future fails with [dev.estoria.error.StreamVersionConflictException] (nothing written) on a mismatch,
     * [dev.estoria.error.DuplicateEventException] when an event id is reused for other content,
     * [dev.estoria.error.InvalidInputException] on bad input. An empty list is a no-op; re-appending the same batch
     * (same event ids, same versions) completes with the original result.
     */
    public fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): CompletableFuture<AppendResult>

    /** Appends with [ExpectedVersion.Any] (no condition). */
    public fun appendStream(streamId: TypeId, events: List<WritableEvent>): CompletableFuture<AppendResult> =
        appendStream(streamId, events, ExpectedVersion.Any)
}
