package dev.estoria.eventstore.memory

import dev.estoria.error.DuplicateEventException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.AppendValidation
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.FrontierStatus
import dev.estoria.eventstore.GlobalFrontier
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.time.Clock
import java.util.TreeMap

/**
 * An event store in memory, for tests, prototypes and the reference semantics of every backend. It
 * implements every capability ([GlobalReader], [GlobalFrontier], [StreamDeleter]) and passes every suite of the kit.
 *
 * One mutex orders all writes, so appends are linearizable and global positions are a stable prefix
 * by construction. Reads take the mutex for one page at a time ([pageSize], default 256) and emit
 * outside it; a global read ends at the last position stored when it started. Timestamps come from [clock] (default: UTC system clock).
 */
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

    override suspend fun appendStream(
        streamId: TypeId,
        events: List<WritableEvent>,
        expected: ExpectedVersion,
    ): AppendResult {
        val batch = events.toList()
        AppendValidation.validate(streamId, batch)
        return mutex.withLock { appendLocked(streamId, batch, expected) }
    }

    private fun appendLocked(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult {
        val stream = streams[streamId]
        val current = stream?.version ?: 0L
        if (batch.isNotEmpty()) {
            retriedBatch(streamId, batch, expected)?.let { return it }
        }
        if (!expected.matches(current, stream != null)) throw StreamVersionConflictException(streamId, expected, current)
        if (batch.isEmpty()) return AppendResult(emptyList(), current)

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
        return AppendResult(stored, target.version)
    }

    /** The original result when [batch] was already stored as the same batch; throws when an id is reused. */
    private fun retriedBatch(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult? {
        val first = byEventId[batch.first().id]
        if (first == null) {
            val reused = batch.firstOrNull { byEventId.containsKey(it.id) } ?: return null
            throw DuplicateEventException(reused.id, streamId, byEventId[reused.id]?.streamId)
        }
        if (first.streamId != streamId) throw DuplicateEventException(first.id, streamId, first.streamId)
        val stream = streams.getValue(streamId)
        val stored = stream.events.filter { it.streamVersion >= first.streamVersion }.take(batch.size)
        if (!AppendValidation.isSameBatch(batch, stored, expected)) throw DuplicateEventException(first.id, streamId, streamId)
        // the original result: the version right after the batch, whatever was appended since
        return AppendResult(stored, stored.last().streamVersion)
    }

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = flow {
        val forward = options.direction == ReadDirection.FORWARD
        var remaining = options.maxCount ?: Int.MAX_VALUE
        var next: Long? = options.fromVersion
        var first = true
        while (remaining > 0) {
            val page = mutex.withLock {
                val stream = streams[streamId]
                if (stream == null) {
                    if (first) throw StreamNotFoundException(streamId)
                    return@withLock emptyList()
                }
                stream.page(next, forward, minOf(remaining, pageSize))
            }
            first = false
            if (page.isEmpty()) break
            for (event in page) emit(event)
            remaining -= page.size
            next = if (forward) page.last().streamVersion + 1 else page.last().streamVersion - 1
            if (next < 1) break
        }
    }

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> = flow {
        if (afterPosition < 0) throw InvalidInputException("afterPosition must be >= 0, was $afterPosition")
        if (maxCount != null && maxCount < 1) throw InvalidInputException("maxCount must be >= 1, was $maxCount")
        var remaining = maxCount ?: Int.MAX_VALUE
        var after = afterPosition
        var frontier: Long? = null
        while (remaining > 0) {
            val page = mutex.withLock {
                // the frontier is fixed when the read starts: appends committed while it pages are left for the next read
                val bound = frontier ?: lastPosition.also { frontier = it }
                if (after >= bound) emptyList() else byPosition.subMap(after, false, bound, true).values.take(minOf(remaining, pageSize))
            }
            if (page.isEmpty()) break
            for (event in page) emit(event)
            remaining -= page.size
            after = page.last().globalPosition ?: after
        }
    }

    override suspend fun headPosition(): Long = mutex.withLock { byPosition.lastEntry()?.key ?: 0L }

    /** Never lags: every stored event is stable as soon as its append returns. */
    override suspend fun frontierStatus(): FrontierStatus {
        val head = headPosition()
        return FrontierStatus(head, head, 0, emptyList())
    }

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
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
