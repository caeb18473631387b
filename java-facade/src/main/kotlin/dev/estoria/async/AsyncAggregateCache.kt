package dev.estoria.async

import dev.estoria.async.internal.AsyncAggregateCacheAdapter
import dev.estoria.async.internal.FacadeRuntime
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.id.TypeId
import kotlinx.coroutines.CoroutineScope
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor

/**
 * Caches aggregate states for Java callers: the async twin of [AggregateCache]. A miss completes with
 * an empty [Optional]; the cache never goes backwards in version. Lifecycle as [AsyncEventStore].
 */
public interface AsyncAggregateCache<S> : AutoCloseable {
    /** The cached state of [id], or empty on a miss. */
    public fun get(id: TypeId): CompletableFuture<Optional<CachedState<S>>>

    /** Caches [state] at [version] for [id], without a last event id, unless a version >= [version] is cached already. */
    public fun put(id: TypeId, version: Long, state: S): CompletableFuture<Void?>

    /**
     * Caches [state] at [version] for [id] with [lastEventId] (the id of the aggregate's event at [version],
     * `null`: unknown) unless a version >= [version] is cached already.
     */
    public fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?): CompletableFuture<Void?>

    /** Drops [id] from the cache. */
    public fun invalidate(id: TypeId): CompletableFuture<Void?>

    /** Whether [close] was called. */
    public fun isClosed(): Boolean

    /** Cancels operations still running and refuses new ones; closes neither the cache nor the executor. */
    override fun close()

    /** Factories. */
    public companion object {
        /** Adapts [cache]; operations run on `Dispatchers.Default`. */
        @JvmStatic
        public fun <S> from(cache: AggregateCache<S>): AsyncAggregateCache<S> =
            AsyncAggregateCacheAdapter(cache, FacadeRuntime.onDefault("AsyncAggregateCache"))

        /** Adapts [cache]; operations run on [executor]. */
        @JvmStatic
        public fun <S> from(cache: AggregateCache<S>, executor: Executor): AsyncAggregateCache<S> =
            AsyncAggregateCacheAdapter(cache, FacadeRuntime.on(executor, "AsyncAggregateCache"))
    }
}

/** This cache for Java callers, on `Dispatchers.Default`. */
@JvmSynthetic
public fun <S> AggregateCache<S>.asAsync(): AsyncAggregateCache<S> = AsyncAggregateCache.from(this)

/** This cache for Java callers, on [executor]. */
@JvmSynthetic
public fun <S> AggregateCache<S>.asAsync(executor: Executor): AsyncAggregateCache<S> = AsyncAggregateCache.from(this, executor)

/** This cache for Java callers, as children of [scope]. */
@JvmSynthetic
public fun <S> AggregateCache<S>.asAsync(scope: CoroutineScope): AsyncAggregateCache<S> =
    AsyncAggregateCacheAdapter(this, FacadeRuntime.childOf(scope, "AsyncAggregateCache"))
