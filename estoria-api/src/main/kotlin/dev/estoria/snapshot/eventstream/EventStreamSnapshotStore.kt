package dev.estoria.snapshot.eventstream

import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.onEach
import java.time.Instant
import java.util.UUID

/**
 * Keeps snapshots as events on a companion stream in any [EventStore], so that a backend with no
 * snapshot table of its own can still snapshot. The companion stream of aggregate `a` is
 * `snapshot_<name-based UUID of a>`: one per aggregate, never shared across aggregate types.
 *
 * [keepLast] (default `null`: keep all) truncates the companion stream after each write; it needs
 * an event store that is a [StreamDeleter]. Reads scan the retained snapshots newest first.
 *
 * The companion stream is not the aggregate's stream: deleting the aggregate's stream leaves it, so
 * erase an aggregate's snapshots with [delete]. [delete] of all snapshots deletes the companion stream
 * when the event store is a [StreamDeleter]; otherwise (and for `toVersion`) it appends a marker that
 * hides the older snapshots from reads — they stay stored then.
 */
public class EventStreamSnapshotStore @JvmOverloads constructor(
    private val eventStore: EventStore,
    private val keepLast: Int? = null,
) : SnapshotStore {
    init {
        if (keepLast != null) {
            if (keepLast < 1) throw InvalidInputException("keepLast must be >= 1, was $keepLast")
            if (eventStore !is StreamDeleter) throw InvalidInputException("keepLast needs an event store that can truncate streams")
        }
    }

    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? {
        var best: Event? = null
        var bestVersion = 0L
        var clearedTo = 0L // markers seen so far hide older snapshots at versions <= this
        eventStore.readStream(streamOf(aggregateId), ReadOptions.BACKWARD)
            .onEach { event ->
                if (event.metadata[AGGREGATE_KEY] != aggregateId.toString()) return@onEach
                if (event.type == CLEARED_TYPE) {
                    clearedTo = maxOf(clearedTo, event.metadata[CLEARED_KEY]?.toLongOrNull() ?: Long.MAX_VALUE)
                    return@onEach
                }
                val version = event.metadata[VERSION_KEY]?.toLongOrNull() ?: return@onEach
                if (version <= clearedTo) return@onEach
                if ((maxVersion == null || version <= maxVersion) && version > bestVersion) {
                    best = event
                    bestVersion = version
                }
            }
            .catch { if (it !is StreamNotFoundException) throw it }
            .collect()
        val event = best ?: return null
        val taken = event.metadata[TIMESTAMP_KEY]?.let { runCatching { Instant.parse(it) }.getOrNull() } ?: event.timestamp
        val lastEventId = event.metadata[LAST_EVENT_KEY]?.let { runCatching { TypeId.parse(it) }.getOrNull() }
        return Snapshot(aggregateId, bestVersion, event.data, event.contentType, taken, lastEventId)
    }

    override suspend fun write(snapshot: Snapshot) {
        val stream = streamOf(snapshot.aggregateId)
        val event = WritableEvent.library(
            EVENT_TYPE,
            snapshot.data,
            snapshot.contentType,
            mapOf(
                VERSION_KEY to snapshot.version.toString(),
                AGGREGATE_KEY to snapshot.aggregateId.toString(),
                TIMESTAMP_KEY to snapshot.timestamp.toString(),
            ) + (snapshot.lastEventId?.let { mapOf(LAST_EVENT_KEY to it.toString()) } ?: emptyMap()),
        )
        val result = eventStore.appendStream(stream, listOf(event))
        val limit = keepLast ?: return
        val deleter = eventStore as StreamDeleter
        val cut = result.nextExpectedVersion - limit
        if (cut >= 1) deleter.delete(stream, cut)
    }

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) {
        val stream = streamOf(aggregateId)
        if (toVersion == null && eventStore is StreamDeleter) {
            try {
                eventStore.delete(stream)
            } catch (e: StreamNotFoundException) {
                // no snapshot was ever written
            }
            return
        }
        val marker = mapOf(AGGREGATE_KEY to aggregateId.toString()) +
            (toVersion?.let { mapOf(CLEARED_KEY to it.toString()) } ?: emptyMap())
        eventStore.appendStream(stream, listOf(WritableEvent.library(CLEARED_TYPE, ByteArray(0), "", marker)))
    }

    private fun streamOf(aggregateId: TypeId): TypeId =
        TypeId(STREAM_TYPE, UUID.nameUUIDFromBytes(aggregateId.toString().toByteArray()))

    private companion object {
        const val STREAM_TYPE = "snapshot"
        const val EVENT_TYPE = "snapshot"
        const val VERSION_KEY = "estoria.snapshot.version"
        const val AGGREGATE_KEY = "estoria.snapshot.aggregate"
        const val TIMESTAMP_KEY = "estoria.snapshot.timestamp"
        const val LAST_EVENT_KEY = "estoria.snapshot.last_event"
        const val CLEARED_TYPE = "snapshot_cleared"
        const val CLEARED_KEY = "estoria.snapshot.cleared_to"
    }
}
