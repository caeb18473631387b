package dev.estoria.java

import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.AggregateHooks
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.async.AsyncAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.snapshot.SnapshotStore
import java.util.concurrent.Executor

/**
 * Stacks the aggregate-store layers in the canonical order — event-sourced → snapshotting → cached →
 * hooks — without nesting constructors by hand:
 * ```java
 * AsyncAggregateStore<Account> accounts = AggregateStack.builder(eventStore, ACCOUNT)
 *     .snapshots(new InMemorySnapshotStore(), SnapshotPolicy.everyNEvents(50))
 *     .cache(new InMemoryAggregateCache<>())
 *     .hooks(JavaHooks.<Account>builder().beforeSave(a -> a.putMetadata("tenant", "acme")).build())
 *     .executor(executor)
 *     .build();
 * ```
 * Every layer is optional; the builder only composes the library's own layers, so their guarantees
 * hold unchanged (snapshot failures never fail a save, cache failures count as misses, …).
 */
public object AggregateStack {
    /** Starts a stack for [definition] over [eventStore]. */
    @JvmStatic
    public fun <S> builder(eventStore: EventStore, definition: AggregateDefinition<S>): Builder<S> = Builder(eventStore, definition)

    /** The layers to stack; each defaults to absent. */
    public class Builder<S> internal constructor(
        private val eventStore: EventStore,
        private val definition: AggregateDefinition<S>,
    ) {
        private var snapshots: SnapshotStore? = null
        private var policy: SnapshotPolicy = SnapshotPolicy.NEVER
        private var cache: AggregateCache<S>? = null
        private var refreshOnHit = true
        private var hooks: AggregateHooks<S>? = null
        private var executor: Executor? = null

        /** Adds snapshotting to [store], taken when [policy] says so (state codec: the definition's). Default: none. */
        public fun snapshots(store: SnapshotStore, policy: SnapshotPolicy): Builder<S> = apply {
            snapshots = store
            this.policy = policy
        }

        /** Adds caching in [cache], refreshing hits with the events after the cached version. Default: none. */
        public fun cache(cache: AggregateCache<S>): Builder<S> = cache(cache, true)

        /**
         * Adds caching in [cache]; with [refreshOnHit] `false` a hit is returned as cached (faster, possibly
         * behind writes made elsewhere).
         */
        public fun cache(cache: AggregateCache<S>, refreshOnHit: Boolean): Builder<S> = apply {
            this.cache = cache
            this.refreshOnHit = refreshOnHit
        }

        /** Adds lifecycle hooks (outermost layer); build them with [JavaHooks.builder]. Default: none. */
        public fun hooks(hooks: AggregateHooks<S>): Builder<S> = apply { this.hooks = hooks }

        /** The executor of the async store built by [build]. Default: `Dispatchers.Default`. */
        public fun executor(executor: Executor): Builder<S> = apply { this.executor = executor }

        /** The stack as a Kotlin [AggregateStore] (for Kotlin code or further layers). */
        public fun buildStore(): AggregateStore<S> {
            var store: AggregateStore<S> = EventSourcedAggregateStore(eventStore, definition)
            snapshots?.let { store = SnapshottingAggregateStore(store, it, policy) }
            cache?.let { store = CachingAggregateStore(store, it, refreshOnHit) }
            hooks?.let { store = HookableAggregateStore(store, it) }
            return store
        }

        /** The stack for Java callers, on the [executor]. */
        public fun build(): AsyncAggregateStore<S> {
            val store = buildStore()
            return executor?.let { AsyncAggregateStore.from(store, it) } ?: AsyncAggregateStore.from(store)
        }
    }
}
