package dev.estoria.facade.support

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.async.AsyncAggregateCache
import dev.estoria.async.AsyncAggregateStore
import dev.estoria.async.AsyncCheckpointStore
import dev.estoria.async.AsyncSnapshotStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.future.await

/** Test bridges from the Java surface back to the suspend API, so the suites check what Java callers see. */
class AsyncBackedSnapshotStore(private val async: AsyncSnapshotStore) : SnapshotStore {
    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? =
        (if (maxVersion == null) async.read(aggregateId) else async.read(aggregateId, maxVersion)).await().orElse(null)

    override suspend fun write(snapshot: Snapshot) {
        async.write(snapshot).await()
    }

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) {
        (if (toVersion == null) async.delete(aggregateId) else async.delete(aggregateId, toVersion)).await()
    }
}

class AsyncBackedAggregateCache<S>(private val async: AsyncAggregateCache<S>) : AggregateCache<S> {
    override suspend fun get(id: TypeId): CachedState<S>? = async.get(id).await().orElse(null)

    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?) {
        (if (lastEventId == null) async.put(id, version, state) else async.put(id, version, state, lastEventId)).await()
    }

    override suspend fun invalidate(id: TypeId) {
        async.invalidate(id).await()
    }
}

class AsyncBackedCheckpointStore(private val async: AsyncCheckpointStore) : CheckpointStore {
    override suspend fun load(name: String): Long? = async.load(name).await().let { if (it.isPresent) it.asLong else null }

    override suspend fun save(name: String, position: Long) {
        async.save(name, position).await()
    }

    override suspend fun delete(name: String) {
        async.delete(name).await()
    }
}

class AsyncBackedAggregateStore<S>(private val async: AsyncAggregateStore<S>) : AggregateStore<S> {
    override val definition: AggregateDefinition<S> get() = async.definition

    override fun new(id: TypeId): Aggregate<S> = async.create(id)

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> =
        (if (toVersion == null) async.load(id) else async.load(id, toVersion)).await()

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?) {
        (if (toVersion == null) async.hydrate(aggregate) else async.hydrate(aggregate, toVersion)).await()
    }

    override suspend fun save(aggregate: Aggregate<S>) {
        async.save(aggregate).await()
    }
}
