package dev.estoria.aggregate

import dev.estoria.EstoriaSpi
import dev.estoria.error.EventGapException
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.event.Metadata
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId

/**
 * One aggregate instance: its [id], the [version] stored so far, its current [state] (including
 * the pending events), and the [pendingEvents] not yet saved.
 *
 * [append] applies events to [state] at once and queues them; an aggregate store's `save` appends
 * them with optimistic concurrency at [version] and clears them. Each pending event gets its id when
 * appended, so saving the same aggregate again after an unknown outcome is idempotent.
 *
 * Not thread-safe: one aggregate belongs to one command at a time.
 *
 * @property definition the definition of the aggregate's type: its evolve functions and event codecs.
 * @property id the aggregate's id, which is also the id of its event stream.
 */
public class Aggregate<S> internal constructor(
    public val definition: AggregateDefinition<S>,
    public val id: TypeId,
    version: Long,
    state: S,
) {
    private val pending = ArrayList<PendingEvent>()
    private val saveMetadata = LinkedHashMap<String, String>()

    /** The aggregate type name. */
    public val type: String get() = definition.type

    /** The version stored so far (0 for an aggregate with no stored events). */
    public var version: Long = version
        private set

    /**
     * The id of the last stored event applied or saved (`null` at version 0, or when restored without it).
     * The snapshotting and caching layers record it with each snapshot and cache entry and check it
     * against the stream on load, so an entry from a deleted and re-created stream is never used.
     */
    internal var lastEventId: TypeId? = null

    /** The current state: stored events plus pending ones. */
    public var state: S = state
        private set

    /** The events appended but not saved yet, oldest first. */
    public val pendingEvents: List<PendingEvent> get() = pending.toList()

    /** Whether there are events to save. */
    public val hasPendingEvents: Boolean get() = pending.isNotEmpty()

    /** The version the aggregate will have once its pending events are saved. */
    public val pendingVersion: Long get() = version + pending.size

    /**
     * Applies [events] to [state] and queues them for the next save.
     *
     * @throws InvalidInputException when an event's class is not registered; nothing is applied then.
     */
    public fun append(vararg events: Any) {
        val encoded = events.map { PendingEvent.of(this, it, emptyMap()) }
        applyPending(encoded)
    }

    /** Applies [event] and queues it with its own [metadata] (merged over [putMetadata] entries). */
    public fun appendWithMetadata(event: Any, metadata: Map<String, String>) {
        applyPending(listOf(PendingEvent.of(this, event, Metadata.validate(metadata))))
    }

    /**
     * Adds a metadata entry to every event of the next save (for correlation ids and the like, often
     * from a before-save hook). Per-event metadata wins over these entries.
     */
    public fun putMetadata(key: String, value: String) {
        Metadata.validate(mapOf(key to value))
        saveMetadata[key] = value
    }

    /** The entries added with [putMetadata] for the next save. */
    public val metadata: Map<String, String> get() = saveMetadata.toMap()

    /** The pending events as writable events, with save metadata merged in. */
    @EstoriaSpi
    public fun toWritableEvents(): List<WritableEvent> = pending.map { it.toWritable(saveMetadata) }

    /**
     * Applies an event read from the store at [event]'s version.
     *
     * @throws InvalidInputException when there are pending events or the version is not after the aggregate's.
     * @throws EventGapException when the event is not the next version: events in between are missing, and a
     *   state built across them would be wrong.
     */
    @EstoriaSpi
    public fun applyStored(event: Event) {
        if (pending.isNotEmpty()) throw InvalidInputException("cannot apply stored events to aggregate $id: it has unsaved events")
        if (event.streamVersion <= version) {
            throw InvalidInputException("event version ${event.streamVersion} is not after aggregate $id's version $version")
        }
        if (event.streamVersion != version + 1) throw EventGapException(id, version + 1, event.streamVersion)
        state = definition.evolve(state, definition.events.decode(event.type, event.data))
        version = event.streamVersion
        lastEventId = event.id
    }

    /** Marks the pending events as stored, the stream now being at [storedVersion]. */
    @EstoriaSpi
    public fun markSaved(storedVersion: Long) {
        if (storedVersion != pendingVersion) {
            throw InvalidInputException("aggregate $id saved at version $storedVersion, expected $pendingVersion")
        }
        lastEventId = pending.lastOrNull()?.id ?: lastEventId
        pending.clear()
        saveMetadata.clear()
        version = storedVersion
    }

    private fun applyPending(events: List<PendingEvent>) {
        var next = state
        for (event in events) next = definition.evolve(next, event.event)
        state = next
        pending += events
    }

    override fun toString(): String = "Aggregate($id, version=$version, pending=${pending.size}, state=$state)"
}
