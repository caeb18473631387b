package dev.estoria.async

import dev.estoria.async.internal.AsyncEventStoreAdapter
import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.eventstore.EventStore
import kotlinx.coroutines.CoroutineScope
import java.util.Optional
import java.util.concurrent.Executor

/**
 * An event store for Java callers: every operation of [EventStore] with [java.util.concurrent.CompletableFuture]
 * results and [java.util.concurrent.Flow.Publisher] reads, delegating to one Kotlin store (nothing is
 * re-implemented, so the semantics are those the conformance kit checks on that store).
 *
 * - Optional capabilities are views: [globalReader] and [streamDeleter] are present when the store
 *   implements [dev.estoria.eventstore.GlobalReader] / [dev.estoria.eventstore.StreamDeleter].
 * - Failures complete the future exceptionally with Estoria's typed exception itself
 *   (`future.join()` throws `CompletionException` whose cause is, say, `StreamVersionConflictException`).
 * - Cancelling a returned future cancels the underlying coroutine.
 * - Operations run on the facade's executor: by default `Dispatchers.Default` (kotlinx.coroutines'
 *   shared pool), or the [Executor] given to [from]. [close] cancels operations still running and
 *   refuses new ones (their futures fail with `IllegalStateException`); it shuts down neither the
 *   executor nor the store.
 *
 * ```java
 * AsyncEventStore store = AsyncEventStore.from(new InMemoryEventStore());
 * AppendResult result = store.appendStream(id, List.of(event), ExpectedVersion.noStream()).join();
 * ```
 */
public interface AsyncEventStore : AsyncStreamReader, AsyncStreamWriter, AutoCloseable {
    /** The global reader of this store, or empty when the store has no global order. */
    public fun globalReader(): Optional<AsyncGlobalReader>

    /** The deleter of this store, or empty when the store cannot delete streams. */
    public fun streamDeleter(): Optional<AsyncStreamDeleter>

    /** Whether [globalReader] is present. */
    public fun supportsGlobalRead(): Boolean = globalReader().isPresent

    /** Whether [streamDeleter] is present. */
    public fun supportsDelete(): Boolean = streamDeleter().isPresent

    /** Whether [close] was called. */
    public fun isClosed(): Boolean

    /** Cancels operations still running and refuses new ones. Idempotent. */
    override fun close()

    /** Factories. */
    public companion object {
        /** Adapts [store]; operations run on `Dispatchers.Default`. */
        @JvmStatic
        public fun from(store: EventStore): AsyncEventStore =
            AsyncEventStoreAdapter(store, FacadeRuntime.onDefault("AsyncEventStore"))

        /** Adapts [store]; operations run on [executor] (never shut down by the facade). */
        @JvmStatic
        public fun from(store: EventStore, executor: Executor): AsyncEventStore =
            AsyncEventStoreAdapter(store, FacadeRuntime.on(executor, "AsyncEventStore"))
    }
}

/** This store for Java callers, on `Dispatchers.Default`. */
@JvmSynthetic
public fun EventStore.asAsync(): AsyncEventStore = AsyncEventStore.from(this)

/** This store for Java callers, on [executor]. */
@JvmSynthetic
public fun EventStore.asAsync(executor: Executor): AsyncEventStore = AsyncEventStore.from(this, executor)

/** This store for Java callers, running as children of [scope]: cancelling [scope] closes the facade. */
@JvmSynthetic
public fun EventStore.asAsync(scope: CoroutineScope): AsyncEventStore =
    AsyncEventStoreAdapter(this, FacadeRuntime.childOf(scope, "AsyncEventStore"))
