package dev.estoria.kurrent.internal

import dev.estoria.EstoriaSpi
import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.StoreException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.kernel.StoredEventRef
import dev.estoria.eventstore.kernel.StreamPageRequest
import dev.estoria.eventstore.kernel.StreamStorage
import dev.estoria.id.TypeId
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.toList
import kotlin.coroutines.cancellation.CancellationException

/**
 * The kernel's storage for **one** append to [streamId] with [expected]: KurrentDB has no index by
 * event id, so "where are these ids stored" can only be answered near the target stream ([IdLookup]),
 * and the kernel's `findStored(ids)` carries no stream; the store therefore builds one of these per
 * append (a few fields) and runs it in a fresh `KernelEventStore`.
 *
 * [tryAppend] plays the database's unique indexes and compare-and-set: it refuses (returns `null`) when
 * an id of the batch is found or the stream does not satisfy [expected], and otherwise writes with the
 * **explicit revision** it saw (every mode, `Any` included), so a concurrent writer makes it fail with
 * `WrongExpectedVersionException` (`null` again) and the kernel decides; the server's own deduplication
 * (a best-effort cache, and only with an explicit revision) is never relied on. The stored events are
 * read back (the server assigns timestamps and positions), so the result equals a later read.
 */
@OptIn(EstoriaSpi::class)
internal class AppendStorage(
    private val port: KurrentClientPort,
    private val names: StreamNames,
    private val lookup: IdLookup,
    private val reads: StreamPages,
    private val streamId: TypeId,
    private val expected: ExpectedVersion,
) : StreamStorage {
    /** The look-up of the last refused attempt, when it refused because an id was found (still valid then). */
    private var found: IdLookup.Snapshot? = null
    private var batchSize = 1

    override suspend fun tryAppend(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult? {
        batchSize = batch.size
        found = null
        val snapshot = lookup.look(streamId, expected, batch.size)
        if (batch.any { it.id in snapshot.refs }) {
            found = snapshot
            return null
        }
        val last = snapshot.lastRevision
        if (!expected.matches(last?.plus(1) ?: 0L, last != null)) return null
        val state = if (last == null) StreamState.noStream() else StreamState.streamRevision(last)
        val name = names.name(streamId)
        val written = try {
            port.append(name, state, batch.map { Envelope.encode(it) })
        } catch (e: Exception) {
            if (KurrentErrors.isWrongExpectedVersion(e)) return null
            throw KurrentErrors.append(e, streamId, batch)
        }
        val first = written - batch.size + 1
        val stored = try {
            port.readStream(name, first, forward = true, maxCount = batch.size.toLong()).toList().map { Envelope.decode(it, streamId) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: StoreException) {
            throw e
        } catch (e: Exception) {
            // the batch is written; only the read-back failed: a retry of the same batch returns it
            throw AppendOutcomeUnknownException(streamId, KurrentErrors.unwrap(e))
        }
        if (stored.map { it.id } != batch.map { it.id }) {
            throw StoreException("append", streamId, "append to $streamId: the events read back at revision $first are not the batch written", null)
        }
        return AppendResult(stored, written + 1)
    }

    override suspend fun findStored(ids: List<TypeId>): List<StoredEventRef> {
        val snapshot = found ?: lookup.look(streamId, expected, batchSize).also { found = it }
        return ids.mapNotNull { snapshot.refs[it] }
    }

    override suspend fun streamVersion(streamId: TypeId): Long? = lookup.version(streamId)

    override suspend fun readStreamPage(streamId: TypeId, request: StreamPageRequest): List<Event> = reads.page(streamId, request)

    override fun toString(): String = "KurrentDB append to $streamId"
}
