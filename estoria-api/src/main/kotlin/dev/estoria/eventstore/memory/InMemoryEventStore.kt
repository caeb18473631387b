package dev.estoria.eventstore.memory

import dev.estoria.eventstore.kernel.DeleteArguments
import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.FrontierStatus
import dev.estoria.eventstore.GlobalFrontier
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.eventstore.kernel.KernelEventStore
import dev.estoria.eventstore.kernel.PagedReads
import dev.estoria.eventstore.kernel.StoredEventRef
import dev.estoria.eventstore.kernel.StreamPageRequest
import dev.estoria.eventstore.kernel.StreamStorage
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.time.Clock
import java.util.TreeMap

/**
 * An event store in memory, for tests, prototypes and the reference semantics of every backend. It
 * implements every capability ([GlobalReader], [GlobalFrontier], [StreamDeleter]) and passes every suite of the kit.
 *
 * It is the smallest backend over the kernel ([KernelEventStore]): its storage is a map of streams
 * behind one mutex, so appends are linearizable and global positions are a stable prefix by
 * construction. Reads take the mutex for one page at a time ([pageSize], default 256) and emit outside
 * it. Timestamps come from [clock] (default: UTC system clock).
 */
@OptIn(EstoriaSpi::class)
public class InMemoryEventStore @JvmOverloads constructor(
    private val clock: Clock = Clock.systemUTC(),
    private val pageSize: Int = DEFAULT_PAGE_SIZE,
) : EventStore, GlobalReader, GlobalFrontier, StreamDeleter {

    init {
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
    }

    private val mutex = Mutex()
    private val streams = HashMap<TypeId, MemoryStream>()
    private val byPosition = TreeMap<Long, Event>()
    private val byEventId = HashMap<TypeId, Event>()
    private var lastPosition = 0L

    private val kernel = KernelEventStore(Storage(), pageSize)

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        kernel.appendStream(streamId, events, expected)

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = kernel.readStream(streamId, options)

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> =
        PagedReads.global(afterPosition, maxCount, pageSize, frontier = { mutex.withLock { lastPosition } }) { frontier, after, limit ->
            mutex.withLock { byPosition.subMap(after, false, frontier, true).values.asSequence().take(limit).toList() }
        }

    override suspend fun headPosition(): Long = mutex.withLock { byPosition.lastEntry()?.key ?: 0L }

    /** Never lags: every stored event is stable as soon as its append returns. */
    override suspend fun frontierStatus(): FrontierStatus {
        val head = headPosition()
        return FrontierStatus(head, head, 0, emptyList())
    }

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        DeleteArguments.checkToVersion(toVersion)
        mutex.withLock {
            val stream = streams[streamId] ?: throw StreamNotFoundException(streamId)
            val removed = if (toVersion == null) {
                streams.remove(streamId)
                stream.events.toList()
            } else {
                stream.events.filter { it.streamVersion <= toVersion }.also { stream.events.removeIf { e -> e.streamVersion <= toVersion } }
            }
            for (event in removed) {
                byPosition.remove(event.globalPosition)
                byEventId.remove(event.id)
            }
        }
    }

    /** The kernel's storage operations on the maps, each under the mutex. */
    private inner class Storage : StreamStorage {
        override suspend fun tryAppend(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult? =
            mutex.withLock {
                val stream = streams[streamId]
                val current = stream?.version ?: 0L
                // the unique indexes of a database: a stored id rejects the whole batch
                if (!expected.matches(current, stream != null) || batch.any { byEventId.containsKey(it.id) }) return@withLock null
                val target = stream ?: MemoryStream().also { streams[streamId] = it }
                val timestamp = clock.instant()
                val stored = batch.mapIndexed { i, e ->
                    Event(e.id, streamId, current + i + 1, ++lastPosition, timestamp, e.data, e.contentType, e.metadata)
                }
                for (event in stored) {
                    target.events.add(event)
                    byPosition[event.globalPosition ?: 0L] = event
                    byEventId[event.id] = event
                }
                target.version = current + stored.size
                AppendResult(stored, target.version)
            }

        override suspend fun findStored(ids: List<TypeId>): List<StoredEventRef> = mutex.withLock {
            ids.mapNotNull { id -> byEventId[id]?.let { StoredEventRef(it.id, it.streamId, it.streamVersion) } }
        }

        override suspend fun streamVersion(streamId: TypeId): Long? = mutex.withLock { streams[streamId]?.version }

        override suspend fun readStreamPage(streamId: TypeId, request: StreamPageRequest): List<Event> = mutex.withLock {
            val stream = streams[streamId]
            when {
                stream != null -> stream.page(request.fromVersion, request.forward, request.limit)
                request.first -> throw StreamNotFoundException(streamId)
                else -> emptyList()
            }
        }

        override fun toString(): String = "in-memory"
    }

    private class MemoryStream {
        val events = ArrayList<Event>()
        var version = 0L

        fun page(from: Long?, forward: Boolean, limit: Int): List<Event> {
            if (events.isEmpty()) return emptyList()
            val firstVersion = events.first().streamVersion
            return if (forward) {
                val start = maxOf(0L, (from ?: firstVersion) - firstVersion).toInt()
                if (start >= events.size) emptyList() else events.subList(start, minOf(events.size, start + limit)).toList()
            } else {
                val end = minOf(events.size - 1L, (from ?: version) - firstVersion).toInt()
                if (end < 0) emptyList() else events.subList(maxOf(0, end - limit + 1), end + 1).asReversed().toList()
            }
        }
    }

    private companion object {
        const val DEFAULT_PAGE_SIZE = 256
    }
}
