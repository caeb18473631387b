package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.AppendValidation
import dev.estoria.id.TypeId

/**
 * The kernel's one decision for an append that wrote nothing, shared by every backend: after a
 * backend's conditional write was rejected (its compare-and-set on the stream found another version,
 * or a unique index on event ids refused a row), [resolve] tells an idempotent retry, a reused event id,
 * a version conflict and a lost race apart.
 *
 * The function is `inline` so that its three look-ups run in the caller's context: a JDBC engine passes
 * blocking look-ups on the connection it already holds, a coroutine driver passes suspending ones. It is
 * Kotlin-only (`@JvmSynthetic`): a backend written in Java uses [KernelEventStore].
 *
 * TCK: `EventStoreSuite` (idempotency and expected-version clauses).
 */
@EstoriaSpi
public object RejectedAppend {
    /** How many ids one [resolve] look-up asks for at most (backends bind them as parameters). */
    public const val ID_CHUNK: Int = 500

    /**
     * Decides a rejected append of [batch] (not empty) to [streamId] with [expected]:
     *
     * - the batch's first id is stored in this stream, and the events stored from its version on are
     *   the same batch at versions that agree with [expected]: returns the original result (the version
     *   right after the batch, whatever was appended since);
     * - the first id is stored elsewhere or with other content, or any later id of the batch is stored:
     *   throws [DuplicateEventException] naming the id and the stream that holds it;
     * - the stream's [currentVersion] (`null`: no stream) does not satisfy [expected]: throws
     *   [StreamVersionConflictException];
     * - otherwise returns `null`: the write lost a race with a concurrent writer and may be tried again.
     *
     * @param findStored where the events with the given ids (at most [ID_CHUNK]) are stored; ids that
     *   are not stored are left out.
     * @param readStored the stored events of [streamId] from a version on, at most a count of them, in
     *   version order.
     */
    @JvmSynthetic
    public inline fun resolve(
        streamId: TypeId,
        batch: List<WritableEvent>,
        expected: ExpectedVersion,
        findStored: (ids: List<TypeId>) -> List<StoredEventRef>,
        readStored: (fromVersion: Long, count: Int) -> List<Event>,
        currentVersion: () -> Long?,
    ): AppendResult? {
        val firstId = batch.first().id
        val found = findStored(listOf(firstId)).firstOrNull()
        if (found != null) {
            if (found.streamId != streamId) throw DuplicateEventException(firstId, streamId, found.streamId)
            val stored = readStored(found.streamVersion, batch.size)
            if (!AppendValidation.isSameBatch(batch, stored, expected)) throw DuplicateEventException(firstId, streamId, streamId)
            return AppendResult(stored, stored.last().streamVersion)
        }
        if (batch.size > 1) {
            for (chunk in batch.subList(1, batch.size).chunked(ID_CHUNK)) {
                val reused = findStored(chunk.map { it.id }).firstOrNull() ?: continue
                throw DuplicateEventException(reused.eventId, streamId, reused.streamId)
            }
        }
        val current = currentVersion()
        if (!expected.matches(current ?: 0L, current != null)) {
            throw StreamVersionConflictException(streamId, expected, current ?: 0L)
        }
        return null
    }
}
