package dev.estoria.async

import dev.estoria.id.TypeId
import java.util.concurrent.CompletableFuture

/**
 * Optional capability: deletes or truncates streams, the async twin of
 * [dev.estoria.eventstore.StreamDeleter]. Get it with [AsyncEventStore.streamDeleter].
 */
public interface AsyncStreamDeleter {
    /**
     * Deletes [streamId]: reading it then fails with [dev.estoria.error.StreamNotFoundException] and the id can be
     * written again from version 1. Fails with `StreamNotFoundException` when the stream does not exist.
     */
    public fun delete(streamId: TypeId): CompletableFuture<Void?>

    /** Truncates [streamId]: removes the events at versions `<= toVersion` (>= 1); later events keep their versions. */
    public fun delete(streamId: TypeId, toVersion: Long): CompletableFuture<Void?>
}
