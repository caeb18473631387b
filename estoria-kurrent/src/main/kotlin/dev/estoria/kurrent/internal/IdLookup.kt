package dev.estoria.kurrent.internal

import dev.estoria.EstoriaSpi
import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.kernel.StoredEventRef
import dev.estoria.id.TypeId
import dev.estoria.id.TypeName
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList

/**
 * Where the ids of a batch could be stored, since KurrentDB has no index by event id: the tail of the
 * target stream (its last [window] events), the tail of `$all` (its last [window] records, this
 * store's streams only) and, for `Exact(v)`/`NoStream`, the [slot] the batch would occupy (versions
 * `v+1…`). Bounded: at most three reads of at most max([window], batch size) events, run in parallel.
 */
@OptIn(EstoriaSpi::class)
internal class IdLookup(
    private val port: KurrentClientPort,
    private val names: StreamNames,
    private val window: Int,
) {
    /** What one look-up saw: the refs of the stored events, and the stream's last revision (`null`: no stream). */
    class Snapshot(val refs: Map<TypeId, StoredEventRef>, val lastRevision: Long?)

    /** Looks up the events of [streamId] near its end, near the end of `$all`, and at the slot [expected] names. */
    suspend fun look(streamId: TypeId, expected: ExpectedVersion, batchSize: Int): Snapshot = coroutineScope {
        val name = names.name(streamId)
        val tail = async { tail(name, streamId) }
        val global = async { if (window == 0) emptyList() else globalTail(streamId) }
        val slot = async { slot(name, streamId, expected, batchSize) }
        val (tailRefs, last) = tail.await()
        val refs = LinkedHashMap<TypeId, StoredEventRef>()
        for (ref in global.await() + slot.await() + tailRefs) refs[ref.eventId] = ref
        Snapshot(refs, last)
    }

    private suspend fun tail(name: String, streamId: TypeId): Pair<List<StoredEventRef>, Long?> {
        val records = try {
            port.readStream(name, null, forward = false, maxCount = maxOf(window, 1).toLong()).toList()
        } catch (e: Exception) {
            if (KurrentErrors.isNotFound(e)) return emptyList<StoredEventRef>() to null
            throw KurrentErrors.beforeWrite(e, streamId)
        }
        // every event truncated: the stream exists, its last revision comes with the read's end marker
        val last = try {
            records.firstOrNull()?.revision ?: port.lastRevision(name)
        } catch (e: Exception) {
            throw KurrentErrors.beforeWrite(e, streamId)
        }
        val refs = if (window == 0) emptyList() else records.mapNotNull { ref(it, streamId) }
        return refs to last
    }

    private suspend fun globalTail(streamId: TypeId): List<StoredEventRef> = try {
        port.readAll(null, forward = false, maxCount = window.toLong()).toList().mapNotNull { record ->
            names.parse(record.stream)?.let { ref(record, it) }
        }
    } catch (e: Exception) {
        throw KurrentErrors.beforeWrite(e, streamId)
    }

    private suspend fun slot(name: String, streamId: TypeId, expected: ExpectedVersion, batchSize: Int): List<StoredEventRef> {
        val from = when (expected) {
            is ExpectedVersion.Exact -> expected.version
            ExpectedVersion.NoStream -> 0L
            else -> return emptyList()
        }
        return try {
            port.readStream(name, from, forward = true, maxCount = batchSize.toLong()).toList().mapNotNull { ref(it, streamId) }
        } catch (e: Exception) {
            if (KurrentErrors.isNotFound(e)) emptyList() else throw KurrentErrors.beforeWrite(e, streamId)
        }
    }

    private fun ref(record: KurrentRecord, streamId: TypeId): StoredEventRef? {
        if (!TypeName.isValid(record.eventType)) return null
        return StoredEventRef(TypeId(record.eventType, record.eventId), streamId, record.revision + 1)
    }

    /** The stream's version for [streamId], or `null` when it does not exist. */
    suspend fun version(streamId: TypeId): Long? = try {
        port.lastRevision(names.name(streamId))?.plus(1)
    } catch (e: Exception) {
        throw KurrentErrors.other(e, "read", streamId)
    }
}
