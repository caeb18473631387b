package dev.estoria.aggregatestore.snapshotting

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.codec.Codec
import dev.estoria.codec.decodeAs
import dev.estoria.codec.encodeAs
import dev.estoria.error.InvalidInputException
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
 * - A missing, unreadable or undecodable snapshot falls back to a full replay through [inner]
 *   (logged at WARNING), so a broken snapshot store never breaks loads.
 * - A failure to take a snapshot is logged and never fails the save.
 * - [codec] defaults to the definition's state codec.
 */
public class SnapshottingAggregateStore<S> @JvmOverloads constructor(
    private val inner: AggregateStore<S>,
    private val snapshots: SnapshotStore,
    private val policy: SnapshotPolicy,
    private val codec: Codec<S> = inner.definition.requireStateCodec("SnapshottingAggregateStore"),
    private val clock: Clock = Clock.systemUTC(),
) : AggregateStore<S> {

    override val definition: dev.estoria.aggregate.AggregateDefinition<S> get() = inner.definition

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> {
        definition.requireOwnId(id)
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
        val restored = restore(id, toVersion) ?: return inner.load(id, toVersion)
        inner.hydrate(restored, toVersion)
        return restored
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?): Unit = inner.hydrate(aggregate, toVersion)

    override suspend fun save(aggregate: Aggregate<S>) {
        val previous = aggregate.version
        inner.save(aggregate)
        if (aggregate.version != previous && policy.shouldSnapshot(aggregate.id, previous, aggregate.version)) {
            swallowing(LOG, "snapshot of ${aggregate.id} at version ${aggregate.version}") {
                val data = codec.encodeAs(definition.type, aggregate.state)
                snapshots.write(Snapshot(aggregate.id, aggregate.version, data, codec.contentType, clock.instant()))
            }
        }
    }

    private suspend fun restore(id: TypeId, toVersion: Long?): Aggregate<S>? =
        swallowing(LOG, "reading the snapshot of $id") {
            val snapshot = snapshots.read(id, toVersion) ?: return@swallowing null
            if (snapshot.contentType != codec.contentType) {
                LOG.log(System.Logger.Level.WARNING, "snapshot of $id has content type ${snapshot.contentType}, codec expects ${codec.contentType}: replaying")
                return@swallowing null
            }
            definition.restore(id, snapshot.version, codec.decodeAs(definition.type, snapshot.data))
        }

    private companion object {
        val LOG = Log.of(SnapshottingAggregateStore::class.java)
    }
}
