package dev.estoria.async.internal

import dev.estoria.async.AsyncAggregateCache
import dev.estoria.async.AsyncCheckpointStore
import dev.estoria.async.AsyncSnapshotStore
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import java.util.Optional
import java.util.OptionalLong
import java.util.concurrent.CompletableFuture

/** [AsyncSnapshotStore] over [inner]. */
internal class AsyncSnapshotStoreAdapter(
    private val inner: SnapshotStore,
    private val runtime: FacadeRuntime,
) : AsyncSnapshotStore {
    override fun read(aggregateId: TypeId): CompletableFuture<Optional<Snapshot>> =
        runtime.future { Optional.ofNullable(inner.read(aggregateId, null)) }

    override fun read(aggregateId: TypeId, maxVersion: Long): CompletableFuture<Optional<Snapshot>> =
        runtime.future { Optional.ofNullable(inner.read(aggregateId, maxVersion)) }

    override fun write(snapshot: Snapshot): CompletableFuture<Void?> = runtime.future { inner.write(snapshot); null }

    override fun delete(aggregateId: TypeId): CompletableFuture<Void?> = runtime.future { inner.delete(aggregateId, null); null }

    override fun delete(aggregateId: TypeId, toVersion: Long): CompletableFuture<Void?> =
        runtime.future { inner.delete(aggregateId, toVersion); null }

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncSnapshotStore($inner)"
}

/** [AsyncAggregateCache] over [inner]. */
internal class AsyncAggregateCacheAdapter<S>(
    private val inner: AggregateCache<S>,
    private val runtime: FacadeRuntime,
) : AsyncAggregateCache<S> {
    override fun get(id: TypeId): CompletableFuture<Optional<CachedState<S>>> =
        runtime.future { Optional.ofNullable(inner.get(id)) }

    override fun put(id: TypeId, version: Long, state: S): CompletableFuture<Void?> = put(id, version, state, null)

    override fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?): CompletableFuture<Void?> =
        runtime.future { inner.put(id, version, state, lastEventId); null }

    override fun invalidate(id: TypeId): CompletableFuture<Void?> = runtime.future { inner.invalidate(id); null }

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncAggregateCache($inner)"
}

/** [AsyncCheckpointStore] over [inner]. */
internal class AsyncCheckpointStoreAdapter(
    private val inner: CheckpointStore,
    private val runtime: FacadeRuntime,
) : AsyncCheckpointStore {
    override fun load(name: String): CompletableFuture<OptionalLong> =
        runtime.future { inner.load(name)?.let { OptionalLong.of(it) } ?: OptionalLong.empty() }

    override fun save(name: String, position: Long): CompletableFuture<Void?> =
        runtime.future { inner.save(name, position); null }

    override fun delete(name: String): CompletableFuture<Void?> =
        runtime.future { inner.delete(name); null }

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncCheckpointStore($inner)"
}
