package dev.estoria.kurrent.internal

import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.EstoriaException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import io.kurrent.dbclient.NotLeaderException
import io.kurrent.dbclient.RecordSizeExceededException
import io.kurrent.dbclient.StreamDeletedException
import io.kurrent.dbclient.StreamTombstonedException
import io.kurrent.dbclient.TransactionMaxSizeExceededException
import io.kurrent.dbclient.WrongExpectedVersionException
import java.util.concurrent.CompletionException
import java.util.concurrent.ExecutionException
import kotlin.coroutines.cancellation.CancellationException
import io.kurrent.dbclient.StreamNotFoundException as ClientStreamNotFound

/**
 * Translation of the client's failures into the library's typed errors, by exception type only (never
 * by message text), after unwrapping `ExecutionException`/`CompletionException`. The client's exception
 * is kept as the cause. Cancellation is never translated.
 */
internal object KurrentErrors {
    /** The failure inside the future wrappers. */
    fun unwrap(e: Throwable): Throwable {
        var current = e
        while ((current is ExecutionException || current is CompletionException) && current.cause != null) {
            current = current.cause ?: break
        }
        return current
    }

    /** Whether [e] is the server's "the stream is not in the expected state". */
    fun isWrongExpectedVersion(e: Throwable): Boolean = unwrap(e) is WrongExpectedVersionException

    /** Whether [e] says that the stream does not exist (never written, or soft-deleted). */
    fun isNotFound(e: Throwable): Boolean = unwrap(e) is ClientStreamNotFound

    /**
     * The library's error for a failed append of [batch] to [streamId]. A refused write (a size limit, a
     * follower that is not the leader, a tombstoned stream) wrote nothing; any other failure may have
     * reached the server with its reply lost: [AppendOutcomeUnknownException].
     */
    fun append(e: Throwable, streamId: TypeId, batch: List<WritableEvent>): Throwable {
        val cause = unwrap(e)
        return when (cause) {
            is CancellationException, is EstoriaException -> cause
            is RecordSizeExceededException -> {
                val event = batch.firstOrNull { it.id.uuid.toString() == cause.recordId } ?: batch.maxBy { it.size }
                EventTooLargeException(streamId, event.type, cause.size, cause.maxSize)
            }
            is TransactionMaxSizeExceededException ->
                EventTooLargeException(streamId, batch.maxBy { it.size }.type, cause.size, cause.maxSize)
            is StreamDeletedException, is StreamTombstonedException -> tombstoned(streamId, cause)
            is NotLeaderException ->
                StoreException("append", streamId, "append to $streamId refused by a node that is not the leader (leader: ${cause.leaderEndpoint})", cause)
            else -> AppendOutcomeUnknownException(streamId, cause)
        }
    }

    /** The library's error for a failed read of an append's look-ups, before anything was written. */
    fun beforeWrite(e: Throwable, streamId: TypeId): Throwable {
        val cause = unwrap(e)
        return if (cause is StreamDeletedException || cause is StreamTombstonedException) tombstoned(streamId, cause) else other(cause, "append", streamId)
    }

    private fun tombstoned(streamId: TypeId, cause: Throwable): StoreException =
        StoreException("append", streamId, "append to $streamId refused: the stream was tombstoned and its name can never be written again", cause)

    /** The library's error for a failed read or administrative [operation] on [streamId] (`null`: `$all`). */
    fun other(e: Throwable, operation: String, streamId: TypeId?): Throwable {
        val cause = unwrap(e)
        return when {
            cause is CancellationException || cause is EstoriaException -> cause
            streamId != null && (cause is ClientStreamNotFound || cause is StreamDeletedException || cause is StreamTombstonedException) ->
                StreamNotFoundException(streamId, cause)
            else -> StoreException(operation, streamId, cause)
        }
    }
}
