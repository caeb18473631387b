package dev.estoria.async

import dev.estoria.async.internal.AsyncCheckpointStoreAdapter
import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.projection.CheckpointStore
import kotlinx.coroutines.CoroutineScope
import java.util.OptionalLong
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor

/**
 * Remembers how far each named projection has read, for Java callers: the async twin of
 * [CheckpointStore]. A name never saved loads as an empty [OptionalLong]. Lifecycle as [AsyncEventStore].
 */
public interface AsyncCheckpointStore : AutoCloseable {
    /** The last position saved for [name], or empty. */
    public fun load(name: String): CompletableFuture<OptionalLong>

    /** Saves [position] (>= 0) for [name], replacing the previous one. */
    public fun save(name: String, position: Long): CompletableFuture<Void?>

    /** Deletes the checkpoint [name] (a no-op when none is saved); see [CheckpointStore.delete]. */
    public fun delete(name: String): CompletableFuture<Void?>

    /** Whether [close] was called. */
    public fun isClosed(): Boolean

    /** Cancels operations still running and refuses new ones; closes neither the store nor the executor. */
    override fun close()

    /** Factories. */
    public companion object {
        /** Adapts [store]; operations run on `Dispatchers.Default`. */
        @JvmStatic
        public fun from(store: CheckpointStore): AsyncCheckpointStore =
            AsyncCheckpointStoreAdapter(store, FacadeRuntime.onDefault("AsyncCheckpointStore"))

        /** Adapts [store]; operations run on [executor]. */
        @JvmStatic
        public fun from(store: CheckpointStore, executor: Executor): AsyncCheckpointStore =
            AsyncCheckpointStoreAdapter(store, FacadeRuntime.on(executor, "AsyncCheckpointStore"))
    }
}

/** This store for Java callers, on `Dispatchers.Default`. */
@JvmSynthetic
public fun CheckpointStore.asAsync(): AsyncCheckpointStore = AsyncCheckpointStore.from(this)

/** This store for Java callers, on [executor]. */
@JvmSynthetic
public fun CheckpointStore.asAsync(executor: Executor): AsyncCheckpointStore = AsyncCheckpointStore.from(this, executor)

/** This store for Java callers, as children of [scope]. */
@JvmSynthetic
public fun CheckpointStore.asAsync(scope: CoroutineScope): AsyncCheckpointStore =
    AsyncCheckpointStoreAdapter(this, FacadeRuntime.childOf(scope, "AsyncCheckpointStore"))
