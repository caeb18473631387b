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
        eventStore.readStream(streamOf(aggregateId), ReadOptions.BACKWARD)
            .onEach { event ->
                val version = event.metadata[VERSION_KEY]?.toLongOrNull() ?: return@onEach
                if (event.metadata[AGGREGATE_KEY] != aggregateId.toString()) return@onEach
                if ((maxVersion == null || version <= maxVersion) && version > bestVersion) {
                    best = event
                    bestVersion = version
                }
            }
            .catch { if (it !is StreamNotFoundException) throw it }
            .collect()
        val event = best ?: return null
        val taken = event.metadata[TIMESTAMP_KEY]?.let { runCatching { Instant.parse(it) }.getOrNull() } ?: event.timestamp
        return Snapshot(aggregateId, bestVersion, event.data, event.contentType, taken)
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
            ),
        )
        val result = eventStore.appendStream(stream, listOf(event))
        val limit = keepLast ?: return
        val deleter = eventStore as StreamDeleter
        val cut = result.nextExpectedVersion - limit
        if (cut >= 1) deleter.delete(stream, cut)
    }

    private fun streamOf(aggregateId: TypeId): TypeId =
        TypeId(STREAM_TYPE, UUID.nameUUIDFromBytes(aggregateId.toString().toByteArray()))

    private companion object {
        const val STREAM_TYPE = "snapshot"
        const val EVENT_TYPE = "snapshot"
        const val VERSION_KEY = "estoria.snapshot.version"
        const val AGGREGATE_KEY = "estoria.snapshot.aggregate"
        const val TIMESTAMP_KEY = "estoria.snapshot.timestamp"
    }
}
