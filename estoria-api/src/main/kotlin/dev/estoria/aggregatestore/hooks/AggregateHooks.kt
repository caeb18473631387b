package dev.estoria.aggregatestore.hooks

/**
 * The hooks of a [HookableAggregateStore], registered in order per stage; build with the
 * `HookableAggregateStore(inner) { beforeSave { … } }` DSL or [AggregateHooks.Builder] from Java.
 */
public class AggregateHooks<S> private constructor(
    internal val beforeLoad: List<IdHook>,
    internal val afterLoad: List<AggregateHook<S>>,
    internal val beforeHydrate: List<AggregateHook<S>>,
    internal val afterHydrate: List<AggregateHook<S>>,
    internal val beforeSave: List<AggregateHook<S>>,
    internal val afterSave: List<AggregateHook<S>>,
) {
    /** Collects hooks per stage; each stage runs its hooks in registration order. */
    public class Builder<S> {
        private val beforeLoad = ArrayList<IdHook>()
        private val afterLoad = ArrayList<AggregateHook<S>>()
        private val beforeHydrate = ArrayList<AggregateHook<S>>()
        private val afterHydrate = ArrayList<AggregateHook<S>>()
        private val beforeSave = ArrayList<AggregateHook<S>>()
        private val afterSave = ArrayList<AggregateHook<S>>()

        /** Runs before a load; throwing aborts the load. */
        public fun beforeLoad(hook: IdHook): Builder<S> = apply { beforeLoad += hook }

        /** Runs after a load, before it returns; throwing fails the load. */
        public fun afterLoad(hook: AggregateHook<S>): Builder<S> = apply { afterLoad += hook }

        /** Runs before a hydrate; throwing aborts it. */
        public fun beforeHydrate(hook: AggregateHook<S>): Builder<S> = apply { beforeHydrate += hook }

        /** Runs after a hydrate; throwing fails it. */
        public fun afterHydrate(hook: AggregateHook<S>): Builder<S> = apply { afterHydrate += hook }

        /** Runs before a save (may add metadata with `putMetadata`); throwing aborts the save, nothing is written. */
        public fun beforeSave(hook: AggregateHook<S>): Builder<S> = apply { beforeSave += hook }

        /**
         * Runs after a save. The events are stored by then, so a throwing hook surfaces as
         * [dev.estoria.error.EventsAppendedButSaveFailedException].
         */
        public fun afterSave(hook: AggregateHook<S>): Builder<S> = apply { afterSave += hook }

        /** Builds the hooks. */
        public fun build(): AggregateHooks<S> =
            AggregateHooks(beforeLoad.toList(), afterLoad.toList(), beforeHydrate.toList(), afterHydrate.toList(), beforeSave.toList(), afterSave.toList())
    }

    /** Factories. */
    public companion object {
        /** A new builder. */
        @JvmStatic
        public fun <S> builder(): Builder<S> = Builder()
    }
}
