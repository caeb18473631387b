package dev.estoria.async

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.async.internal.AsyncAggregateStoreAdapter
import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.id.TypeId
import dev.estoria.java.CallContext
import kotlinx.coroutines.CoroutineScope
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.function.Function

/**
 * Saves and loads aggregates of one type for Java callers: the async twin of [AggregateStore] and of
 * its `update`/`upsert` command helpers. Any [AggregateStore] works, so a whole layer stack
 * (snapshotting, caching, hooks; see [dev.estoria.java.AggregateStack]) is adapted at once.
 *
 * Failures complete the future exceptionally with the store's typed exception
 * ([dev.estoria.error.AggregateNotFoundException], [dev.estoria.error.StreamVersionConflictException], …); cancelling a
 * future cancels the operation; [close] cancels what is still running (default executor:
 * `Dispatchers.Default`).
 *
 * ```java
 * AsyncAggregateStore<Account> accounts = AsyncAggregateStore.from(new EventSourcedAggregateStore<>(events, ACCOUNT));
 * accounts.update(id, account -> List.of(new Deposited(10))).join();
 * ```
 */
public interface AsyncAggregateStore<S> : AutoCloseable {
    /** The aggregate type this store handles. */
    public val definition: AggregateDefinition<S>

    /** A new aggregate with a new id, at version 0 with the initial state; nothing is stored until [save]. */
    public fun create(): Aggregate<S>

    /**
     * A new aggregate [id] at version 0 (the twin of Kotlin's `new`, a keyword in Java).
     *
     * @throws dev.estoria.error.InvalidInputException when [id] is not of this aggregate type.
     */
    public fun create(id: TypeId): Aggregate<S>

    /** Loads aggregate [id] at its latest version; fails with [dev.estoria.error.AggregateNotFoundException] when it has no stream. */
    public fun load(id: TypeId): CompletableFuture<Aggregate<S>>

    /** Loads aggregate [id] at [toVersion] (>= 1). */
    public fun load(id: TypeId, toVersion: Long): CompletableFuture<Aggregate<S>>

    /** Brings [aggregate] forward to its latest version. */
    public fun hydrate(aggregate: Aggregate<S>): CompletableFuture<Void?>

    /** Brings [aggregate] forward to [toVersion]. */
    public fun hydrate(aggregate: Aggregate<S>, toVersion: Long): CompletableFuture<Void?>

    /**
     * Appends the aggregate's pending events at its version and marks them saved. Fails with
     * [dev.estoria.error.StreamVersionConflictException] when another writer saved first (nothing written).
     */
    public fun save(aggregate: Aggregate<S>): CompletableFuture<Void?>

    /**
     * [save] on behalf of one request: [context]'s metadata is added to every saved event, and hooks
     * see [context] as [CallContext.current] on whichever thread they run (facade test: `CallContextTest`).
     */
    public fun save(aggregate: Aggregate<S>, context: CallContext): CompletableFuture<Void?>

    /**
     * The command-handler helper: loads [id], asks [decide] for the events the current state leads to,
     * appends and saves them, and on a version conflict reloads and decides again with the back-off of
     * [retry]. Exceptions thrown by [decide] are never retried; an empty list saves nothing.
     * Completes with the saved aggregate.
     */
    public fun update(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>>

    /** [update] with [RetryPolicy.DEFAULT] (5 attempts, 10 ms to 500 ms back-off). */
    public fun update(id: TypeId, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        update(id, RetryPolicy.DEFAULT, decide)

    /**
     * [update] on behalf of one request: [context]'s metadata is added to the events of every attempt,
     * and hooks see [context] as [CallContext.current] on whichever thread of the executor they run
     * (a `ThreadLocal` set by the calling thread is not there). Facade test: `CallContextTest`.
     */
    public fun update(id: TypeId, context: CallContext, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>>

    /** [update] with [context] and [RetryPolicy.DEFAULT]. */
    public fun update(id: TypeId, context: CallContext, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        update(id, context, RetryPolicy.DEFAULT, decide)

    /** Like [update] but creates the aggregate when it does not exist yet. */
    public fun upsert(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>>

    /** [upsert] with [RetryPolicy.DEFAULT]. */
    public fun upsert(id: TypeId, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        upsert(id, RetryPolicy.DEFAULT, decide)

    /** [upsert] on behalf of one request, as [update] with a [CallContext]. */
    public fun upsert(id: TypeId, context: CallContext, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>>

    /** [upsert] with [context] and [RetryPolicy.DEFAULT]. */
    public fun upsert(id: TypeId, context: CallContext, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        upsert(id, context, RetryPolicy.DEFAULT, decide)

    /** Whether [close] was called. */
    public fun isClosed(): Boolean

    /** Cancels operations still running and refuses new ones; closes neither the store nor the executor. */
    override fun close()

    /** Factories. */
    public companion object {
        /** Adapts [store]; operations run on `Dispatchers.Default`. */
        @JvmStatic
        public fun <S> from(store: AggregateStore<S>): AsyncAggregateStore<S> =
            AsyncAggregateStoreAdapter(store, FacadeRuntime.onDefault("AsyncAggregateStore(${store.definition.type})"))

        /** Adapts [store]; operations run on [executor]. */
        @JvmStatic
        public fun <S> from(store: AggregateStore<S>, executor: Executor): AsyncAggregateStore<S> =
            AsyncAggregateStoreAdapter(store, FacadeRuntime.on(executor, "AsyncAggregateStore(${store.definition.type})"))
    }
}

/** This store for Java callers, on `Dispatchers.Default`. */
@JvmSynthetic
public fun <S> AggregateStore<S>.asAsync(): AsyncAggregateStore<S> = AsyncAggregateStore.from(this)

/** This store for Java callers, on [executor]. */
@JvmSynthetic
public fun <S> AggregateStore<S>.asAsync(executor: Executor): AsyncAggregateStore<S> = AsyncAggregateStore.from(this, executor)

/** This store for Java callers, as children of [scope]. */
@JvmSynthetic
public fun <S> AggregateStore<S>.asAsync(scope: CoroutineScope): AsyncAggregateStore<S> =
    AsyncAggregateStoreAdapter(this, FacadeRuntime.childOf(scope, "AsyncAggregateStore(${definition.type})"))
