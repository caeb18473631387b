package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId

/**
 * The small SPI a backend implements to become an event store: [KernelEventStore] builds appends
 * (validation, idempotent retries, conflicts, lost races) and paged stream reads on these four
 * operations, so every backend inherits the same semantics and the kit checks them.
 *
 * Each operation is one short call to the backend's storage; none decides anything the kernel decides.
 */
@EstoriaSpi
public interface StreamStorage {
    /**
     * Writes [batch] (validated, not empty) to [streamId] atomically **if** the stream satisfies
     * [expected], and returns the events exactly as a later read returns them. Returns `null` when the
     * write was rejected and nothing was written: the condition failed, or a unique index (event ids,
     * stream versions) refused a row. Any other failure throws (a typed
     * [dev.estoria.error.EstoriaException]; [dev.estoria.error.AppendOutcomeUnknownException] when the
     * connection was lost while the write was in flight).
     */
    public suspend fun tryAppend(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult?

    /** Where the events with [ids] (at most [RejectedAppend.ID_CHUNK]) are stored; ids not stored are left out. */
    public suspend fun findStored(ids: List<TypeId>): List<StoredEventRef>

    /** The stream's version, or `null` when the stream does not exist. */
    public suspend fun streamVersion(streamId: TypeId): Long?

    /**
     * One page of [streamId] per [request], in the request's direction; throws
     * [dev.estoria.error.StreamNotFoundException] on the first page of a stream that does not exist.
     */
    public suspend fun readStreamPage(streamId: TypeId, request: StreamPageRequest): List<Event>
}
