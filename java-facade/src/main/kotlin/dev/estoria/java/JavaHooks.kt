package dev.estoria.java

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregatestore.hooks.AggregateHook
import dev.estoria.aggregatestore.hooks.AggregateHooks
import dev.estoria.aggregatestore.hooks.IdHook
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import kotlinx.coroutines.future.await
import java.util.concurrent.CompletionStage
import java.util.function.Consumer
import java.util.function.Function

/**
 * Lifecycle hooks written in Java, for [dev.estoria.aggregatestore.hooks.HookableAggregateStore] (or
 * [AggregateStack.Builder.hooks]):
 * ```java
 * AggregateHooks<Account> hooks = JavaHooks.<Account>builder()
 *     .beforeSave(account -> account.putMetadata("tenant", tenant))
 *     .afterSaveAsync(account -> outbox.publish(account.getId()))   // a CompletionStage
 *     .build();
 * ```
 * Each stage takes a plain [Consumer] (runs on the store's executor; keep it quick and non-blocking;
 * per-request data such as a correlation id comes from [CallContext.current], not from a `ThreadLocal`)
 * or, with the `Async` suffix, a function returning a [CompletionStage] that the operation waits for.
 * A hook that throws, or whose stage fails, aborts the operation with that exception; after a save the
 * events are stored already, so the failure surfaces as [dev.estoria.error.EventsAppendedButSaveFailedException].
 */
public object JavaHooks {
    /** A new builder. */
    @JvmStatic
    public fun <S> builder(): Builder<S> = Builder()

    /** Collects hooks per stage; each stage runs its hooks in registration order. */
    public class Builder<S> internal constructor() {
        private val hooks = AggregateHooks.builder<S>()

        /** Runs before a load; throwing aborts the load. */
        public fun beforeLoad(hook: Consumer<TypeId>): Builder<S> = apply { hooks.beforeLoad(IdHook { hook.accept(it) }) }

        /** Runs before a load and waits for the returned stage. */
        public fun beforeLoadAsync(hook: Function<TypeId, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.beforeLoad(IdHook { id -> awaitStage(hook.apply(id), "beforeLoad") }) }

        /** Runs after a load, before it completes. */
        public fun afterLoad(hook: Consumer<Aggregate<S>>): Builder<S> = apply { hooks.afterLoad(sync(hook)) }

        /** Runs after a load and waits for the returned stage. */
        public fun afterLoadAsync(hook: Function<Aggregate<S>, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.afterLoad(async(hook, "afterLoad")) }

        /** Runs before a hydrate. */
        public fun beforeHydrate(hook: Consumer<Aggregate<S>>): Builder<S> = apply { hooks.beforeHydrate(sync(hook)) }

        /** Runs before a hydrate and waits for the returned stage. */
        public fun beforeHydrateAsync(hook: Function<Aggregate<S>, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.beforeHydrate(async(hook, "beforeHydrate")) }

        /** Runs after a hydrate. */
        public fun afterHydrate(hook: Consumer<Aggregate<S>>): Builder<S> = apply { hooks.afterHydrate(sync(hook)) }

        /** Runs after a hydrate and waits for the returned stage. */
        public fun afterHydrateAsync(hook: Function<Aggregate<S>, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.afterHydrate(async(hook, "afterHydrate")) }

        /** Runs before a save (may add metadata with `putMetadata`); throwing aborts the save, nothing is written. */
        public fun beforeSave(hook: Consumer<Aggregate<S>>): Builder<S> = apply { hooks.beforeSave(sync(hook)) }

        /** Runs before a save and waits for the returned stage. */
        public fun beforeSaveAsync(hook: Function<Aggregate<S>, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.beforeSave(async(hook, "beforeSave")) }

        /** Runs after a save; a failure surfaces as [dev.estoria.error.EventsAppendedButSaveFailedException]. */
        public fun afterSave(hook: Consumer<Aggregate<S>>): Builder<S> = apply { hooks.afterSave(sync(hook)) }

        /** Runs after a save and waits for the returned stage. */
        public fun afterSaveAsync(hook: Function<Aggregate<S>, out CompletionStage<*>?>): Builder<S> =
            apply { hooks.afterSave(async(hook, "afterSave")) }

        /** The hooks, for `new HookableAggregateStore<>(inner, hooks)` or [AggregateStack.Builder.hooks]. */
        public fun build(): AggregateHooks<S> = hooks.build()

        private fun sync(hook: Consumer<Aggregate<S>>): AggregateHook<S> = AggregateHook { hook.accept(it) }

        private fun async(hook: Function<Aggregate<S>, out CompletionStage<*>?>, stage: String): AggregateHook<S> =
            AggregateHook { aggregate -> awaitStage(hook.apply(aggregate), stage) }
    }

    private suspend fun awaitStage(stage: CompletionStage<*>?, name: String) {
        (stage ?: throw InvalidInputException("the $name hook returned null instead of a CompletionStage")).await()
    }
}
