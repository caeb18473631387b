package dev.estoria.async

import dev.estoria.async.internal.AsyncSnapshotStoreAdapter
import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.CoroutineScope
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor

/**
 * Stores snapshots of aggregate state for Java callers: the async twin of [SnapshotStore]. Absence is
 * normal, so reads complete with an [Optional]. Lifecycle as [AsyncEventStore] (default executor:
 * `Dispatchers.Default`; [close] cancels what is running).
 */
public interface AsyncSnapshotStore : AutoCloseable {
    /** The newest snapshot of [aggregateId], or empty. */
    public fun read(aggregateId: TypeId): CompletableFuture<Optional<Snapshot>>

    /** The snapshot of [aggregateId] with the highest version `<= maxVersion`, or empty. */
    public fun read(aggregateId: TypeId, maxVersion: Long): CompletableFuture<Optional<Snapshot>>

    /** Stores [snapshot], replacing one at the same version; retention then applies. */
    public fun write(snapshot: Snapshot): CompletableFuture<Void?>

    /** Deletes every snapshot of [aggregateId] (to erase its data, or to discard stale snapshots). */
    public fun delete(aggregateId: TypeId): CompletableFuture<Void?>

    /** Deletes the snapshots of [aggregateId] at versions `<= toVersion`. */
    public fun delete(aggregateId: TypeId, toVersion: Long): CompletableFuture<Void?>

    /** Whether [close] was called. */
    public fun isClosed(): Boolean

    /** Cancels operations still running and refuses new ones; closes neither the store nor the executor. */
    override fun close()

    /** Factories. */
    public companion object {
        /** Adapts [store]; operations run on `Dispatchers.Default`. */
        @JvmStatic
        public fun from(store: SnapshotStore): AsyncSnapshotStore =
            AsyncSnapshotStoreAdapter(store, FacadeRuntime.onDefault("AsyncSnapshotStore"))

        /** Adapts [store]; operations run on [executor]. */
        @JvmStatic
        public fun from(store: SnapshotStore, executor: Executor): AsyncSnapshotStore =
            AsyncSnapshotStoreAdapter(store, FacadeRuntime.on(executor, "AsyncSnapshotStore"))
    }
}

/** This store for Java callers, on `Dispatchers.Default`. */
@JvmSynthetic
public fun SnapshotStore.asAsync(): AsyncSnapshotStore = AsyncSnapshotStore.from(this)

/** This store for Java callers, on [executor]. */
@JvmSynthetic
public fun SnapshotStore.asAsync(executor: Executor): AsyncSnapshotStore = AsyncSnapshotStore.from(this, executor)

/** This store for Java callers, as children of [scope]. */
@JvmSynthetic
public fun SnapshotStore.asAsync(scope: CoroutineScope): AsyncSnapshotStore =
    AsyncSnapshotStoreAdapter(this, FacadeRuntime.childOf(scope, "AsyncSnapshotStore"))
