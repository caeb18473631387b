package dev.estoria.kurrent.internal

import io.kurrent.dbclient.EventData
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.Flow
import java.time.Instant

/**
 * The narrow slice of the KurrentDB client the store uses, so that the mapping layer (naming, envelope,
 * expected versions, errors, paging, filtering, the idempotent decision) is tested against a fake
 * without a server. One implementation ([ClientPort]) calls the official client; failures are the
 * client's own exception types (`WrongExpectedVersionException`, `StreamNotFoundException`, …),
 * already unwrapped from `ExecutionException`/`CompletionException`, and [KurrentErrors] translates them.
 */
internal interface KurrentClientPort {
    /** Appends [events] to [stream] if it is in [state]; returns the stream's last revision after the write. */
    suspend fun append(stream: String, state: StreamState, events: List<EventData>): Long

    /**
     * Reads [stream] from [fromRevision] (inclusive; `null`: the start forward, the end backward), at
     * most [maxCount] events, as the client's reactive read (never a materialised list).
     */
    fun readStream(stream: String, fromRevision: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord>

    /** The last revision of [stream] (also when every event is truncated), or `null` when it does not exist. */
    suspend fun lastRevision(stream: String): Long?

    /**
     * Reads `$all` from the commit position [fromCommit] (inclusive; `null`: the start forward, the end
     * backward), at most [maxCount] records, system records included (the client's `readAll` has no
     * server-side filter).
     */
    fun readAll(fromCommit: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord>

    /** Soft-deletes [stream] if it is in [state]. */
    suspend fun delete(stream: String, state: StreamState)

    /** Tombstones [stream] (permanently) if it is in [state]. */
    suspend fun tombstone(stream: String, state: StreamState)

    /** Sets the stream metadata's truncate-before revision of [stream], keeping its other metadata. */
    suspend fun truncateBefore(stream: String, revision: Long)

    /** Starts releasing the client, when the port owns it (without waiting: no blocking in library code). */
    fun close()
}

/**
 * One recorded event as the port returns it (the client's `RecordedEvent` has no public constructor).
 *
 * @property commitPosition the `$all` commit position, or `null` when the server reported none.
 */
internal class KurrentRecord(
    val stream: String,
    val revision: Long,
    val eventId: java.util.UUID,
    val eventType: String,
    val data: ByteArray,
    val metadata: ByteArray,
    val created: Instant,
    val commitPosition: Long?,
) {
    override fun toString(): String = "KurrentRecord($stream@$revision, $eventType/$eventId, position=$commitPosition)"
}
