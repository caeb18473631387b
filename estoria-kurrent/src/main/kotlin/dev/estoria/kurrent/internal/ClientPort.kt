package dev.estoria.kurrent.internal

import io.kurrent.dbclient.AppendToStreamOptions
import io.kurrent.dbclient.DeleteStreamOptions
import io.kurrent.dbclient.EventData
import io.kurrent.dbclient.KurrentDBClient
import io.kurrent.dbclient.Position
import io.kurrent.dbclient.ReadAllOptions
import io.kurrent.dbclient.ReadMessage
import io.kurrent.dbclient.ReadStreamOptions
import io.kurrent.dbclient.RecordedEvent
import io.kurrent.dbclient.StreamMetadata
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.future.await
import kotlinx.coroutines.reactive.asFlow
import java.util.concurrent.CompletableFuture

/**
 * [KurrentClientPort] over the official client: futures are awaited with `CompletionStage.await()`
 * (cancelling the coroutine cancels the future) and reads are the client's reactive reads bridged
 * with `Publisher.asFlow()` (back-pressured; cancelling the collection cancels the gRPC call).
 *
 * @param owned whether [close] shuts the client down (the store created it).
 */
internal class ClientPort(private val client: KurrentDBClient, private val owned: Boolean) : KurrentClientPort {
    private suspend fun <T> CompletableFuture<T>.call(): T = try {
        await()
    } catch (e: Exception) {
        throw KurrentErrors.unwrap(e)
    }

    private fun Flow<ReadMessage>.records(): Flow<KurrentRecord> =
        catch { throw KurrentErrors.unwrap(it) }.filter { it.hasEvent() }.map { record(it.event.originalEvent) }

    override suspend fun append(stream: String, state: StreamState, events: List<EventData>): Long =
        client.appendToStream(stream, AppendToStreamOptions.get().streamState(state), events.iterator()).call()
            .nextExpectedRevision.toRawLong()

    override fun readStream(stream: String, fromRevision: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord> {
        val options = ReadStreamOptions.get().maxCount(maxCount)
        if (forward) options.forwards() else options.backwards()
        when {
            fromRevision != null -> options.fromRevision(fromRevision)
            forward -> options.fromStart()
            else -> options.fromEnd()
        }
        return client.readStreamReactive(stream, options).asFlow().records()
    }

    override suspend fun lastRevision(stream: String): Long? {
        var last: Long? = null
        try {
            client.readStreamReactive(stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(1)).asFlow().collect { message ->
                when {
                    message.hasEvent() -> last = maxOf(last ?: -1L, message.event.originalEvent.revision)
                    message.hasLastStreamPosition() -> last = maxOf(last ?: -1L, message.lastStreamPosition)
                }
            }
        } catch (e: Exception) {
            val cause = KurrentErrors.unwrap(e)
            if (KurrentErrors.isNotFound(cause)) return null
            throw cause
        }
        return last
    }

    override fun readAll(fromCommit: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord> {
        val options = ReadAllOptions.get().maxCount(maxCount)
        if (forward) options.forwards() else options.backwards()
        when {
            fromCommit != null -> options.fromPosition(Position(fromCommit, fromCommit))
            forward -> options.fromStart()
            else -> options.fromEnd()
        }
        return client.readAllReactive(options).asFlow().records()
    }

    override suspend fun delete(stream: String, state: StreamState) {
        client.deleteStream(stream, DeleteStreamOptions.get().streamState(state)).call()
    }

    override suspend fun tombstone(stream: String, state: StreamState) {
        client.tombstoneStream(stream, DeleteStreamOptions.get().streamState(state)).call()
    }

    override suspend fun truncateBefore(stream: String, revision: Long) {
        val current = try {
            client.getStreamMetadata(stream).call()
        } catch (e: Exception) {
            if (KurrentErrors.isNotFound(e)) StreamMetadata() else throw e
        }
        current.truncateBefore = revision
        client.setStreamMetadata(stream, current).call()
    }

    override fun close() {
        if (owned) client.shutdown()
    }

    override fun toString(): String = "KurrentDB client"

    private companion object {
        fun record(event: RecordedEvent): KurrentRecord {
            // an unsigned commit position above Long.MAX_VALUE is the client's "no position"
            val commit = event.position?.commitUnsigned?.takeIf { it >= 0 }
            return KurrentRecord(
                event.streamId, event.revision, event.eventId, event.eventType, event.eventData,
                event.userMetadata ?: ByteArray(0), event.created, commit,
            )
        }
    }
}
