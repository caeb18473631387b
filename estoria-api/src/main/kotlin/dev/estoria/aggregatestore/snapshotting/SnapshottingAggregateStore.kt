@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.aggregatestore.snapshotting

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.codec.Codec
import dev.estoria.codec.decodeAs
import dev.estoria.codec.encodeAs
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StaleAggregateException
import dev.estoria.id.TypeId
import dev.estoria.internal.Log
import dev.estoria.internal.swallowing
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import java.time.Clock

/**
 * A layer that loads from the newest usable snapshot and replays only the events after it, and
 * takes snapshots after saves when [policy] says so.
 *
 * - A restored snapshot at version N is checked by the read the load does anyway: the stream is read
 *   from N, and its event N must be the snapshot's [Snapshot.lastEventId]. A snapshot the stream does
 *   not confirm — ahead of the stream, taken before the stream was deleted and re-created, its event
 *   truncated away, or written without a last event id by an older release — is deleted (with the
 *   older snapshots of the aggregate, [SnapshotStore.delete] up to its version), the aggregate is
 *   replayed in full, and a new snapshot replaces it when [policy] would take one for that replay.
 *   So a load never returns a state the stream does not have.
 * - A load of a deleted stream also deletes the aggregate's snapshots: a separate snapshot store that
 *   deleting the stream does not reach (Redis, in-memory) is cleaned on the next load of that id.
 * - A missing, unreadable or undecodable snapshot falls back to a full replay through [inner]
 *   (logged at WARNING), so a broken snapshot store never breaks loads.
 * - A failure to take a snapshot — the store's, or the codec's, `Error`s such as `NotImplementedError`
 *   included — is logged and never fails the save; only a [VirtualMachineError] (out of memory, stack
 *   overflow) propagates, after the events were appended.
 * - [codec] defaults to the definition's state codec.
 *
 * Truncating a stream to a version below a snapshot's keeps the snapshot usable (its event is still
 * there to check); a snapshot whose event was truncated away cannot be checked and is discarded, and
 * the replay then fails with [dev.estoria.error.EventGapException]. Truncate aggregate streams to at most
 * `snapshot.version - 1`.
 *
 * TCK: `AggregateLayersSuite`.
 */
public class SnapshottingAggregateStore<S> @JvmOverloads constructor(
    private val inner: AggregateStore<S>,
    private val snapshots: SnapshotStore,
    private val policy: SnapshotPolicy,
    private val codec: Codec<S> = inner.definition.requireStateCodec("SnapshottingAggregateStore"),
    private val clock: Clock = Clock.systemUTC(),
) : AggregateStore<S> {

    override val definition: AggregateDefinition<S> get() = inner.definition

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> {
        definition.requireOwnId(id)
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
        val restored = restore(id, toVersion) ?: return inner.load(id, toVersion)
        try {
            inner.hydrate(restored, toVersion)
            return restored
        } catch (e: AggregateNotFoundException) {
            discard(id, null, "its stream is gone")
            throw e
        } catch (e: StaleAggregateException) {
            discard(id, restored.version, e.message ?: "stale")
        }
        val replayed = inner.load(id, toVersion)
        if (toVersion == null && policy.shouldSnapshot(id, 0, replayed.version)) takeSnapshot(replayed)
        return replayed
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?): Unit = inner.hydrate(aggregate, toVersion)

    override suspend fun save(aggregate: Aggregate<S>) {
        val previous = aggregate.version
        inner.save(aggregate)
        if (aggregate.version != previous && policy.shouldSnapshot(aggregate.id, previous, aggregate.version)) {
            takeSnapshot(aggregate)
        }
    }

    private suspend fun takeSnapshot(aggregate: Aggregate<S>) {
        swallowing(LOG, "snapshot of ${aggregate.id} at version ${aggregate.version}") {
            val data = codec.encodeAs(definition.type, aggregate.state)
            snapshots.write(Snapshot(aggregate.id, aggregate.version, data, codec.contentType, clock.instant(), aggregate.lastEventId))
        }
    }

    /** The snapshot restored as an aggregate, or `null` for a miss (an unverifiable snapshot is discarded first). */
    private suspend fun restore(id: TypeId, toVersion: Long?): Aggregate<S>? {
        val snapshot = swallowing(LOG, "reading the snapshot of $id") { snapshots.read(id, toVersion) } ?: return null
        val lastEventId = snapshot.lastEventId
        if (lastEventId == null) {
            discard(id, snapshot.version, "it has no last event id (written by an older release)")
            return null
        }
        return swallowing(LOG, "restoring the snapshot of $id") {
            if (snapshot.contentType != codec.contentType) {
                LOG.log(System.Logger.Level.WARNING, "snapshot of $id has content type ${snapshot.contentType}, codec expects ${codec.contentType}: replaying")
                return@swallowing null
            }
            definition.restore(id, snapshot.version, codec.decodeAs(definition.type, snapshot.data), lastEventId)
        }
    }

    private suspend fun discard(id: TypeId, upToVersion: Long?, why: String) {
        LOG.log(System.Logger.Level.INFO, "discarding the snapshots of $id up to version ${upToVersion ?: "any"}: $why")
        swallowing(LOG, "deleting the stale snapshots of $id") { snapshots.delete(id, upToVersion) }
    }

    private companion object {
        val LOG = Log.of(SnapshottingAggregateStore::class.java)
    }
}
