package dev.estoria.kurrent.internal

import dev.estoria.EstoriaSpi
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.Event
import dev.estoria.eventstore.kernel.StreamPageRequest
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList

/**
 * One page of a stream read: the client's reactive read of at most `limit` events from revision
 * `fromVersion - 1`, so a stream of any length is read page by page by the kernel's `PagedReads`.
 */
@OptIn(EstoriaSpi::class)
internal class StreamPages(private val port: KurrentClientPort, private val names: StreamNames) {
    /** The page [request] of [streamId]; [StreamNotFoundException] on the first page of a missing stream. */
    suspend fun page(streamId: TypeId, request: StreamPageRequest): List<Event> {
        val records = try {
            port.readStream(names.name(streamId), request.fromVersion?.minus(1), request.forward, request.limit.toLong()).toList()
        } catch (e: Exception) {
            val error = KurrentErrors.other(e, "read", streamId)
            if (error is StreamNotFoundException && !request.first) return emptyList()
            throw error
        }
        return records.map { Envelope.decode(it, streamId) }
    }
}
