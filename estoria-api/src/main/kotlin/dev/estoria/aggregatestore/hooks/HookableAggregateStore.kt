package dev.estoria.aggregatestore.hooks

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.error.EventsAppendedButSaveFailedException
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException

/**
 * A layer that runs lifecycle [hooks] before and after load, hydrate and save. A hook that throws
 * aborts the operation with the hook's exception, except after a save, where the events are stored
 * already and the failure is reported as [EventsAppendedButSaveFailedException].
 */
public class HookableAggregateStore<S>(
    private val inner: AggregateStore<S>,
    private val hooks: AggregateHooks<S>,
) : AggregateStore<S> {

    /** Builds the hooks with [configure]: `HookableAggregateStore(inner) { beforeSave { … } }`. */
    public constructor(inner: AggregateStore<S>, configure: AggregateHooks.Builder<S>.() -> Unit) :
        this(inner, AggregateHooks.Builder<S>().apply(configure).build())

    override val definition: AggregateDefinition<S> get() = inner.definition

    override suspend fun load(id: TypeId, toVersion: Long?): Aggregate<S> {
        for (hook in hooks.beforeLoad) hook.run(id)
        val aggregate = inner.load(id, toVersion)
        runAll(hooks.afterLoad, aggregate)
        return aggregate
    }

    override suspend fun hydrate(aggregate: Aggregate<S>, toVersion: Long?) {
        runAll(hooks.beforeHydrate, aggregate)
        inner.hydrate(aggregate, toVersion)
        runAll(hooks.afterHydrate, aggregate)
    }

    override suspend fun save(aggregate: Aggregate<S>) {
        runAll(hooks.beforeSave, aggregate)
        val before = aggregate.version
        inner.save(aggregate)
        try {
            runAll(hooks.afterSave, aggregate)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            if (aggregate.version == before) throw e
            throw EventsAppendedButSaveFailedException(aggregate.id, aggregate.version, e)
        }
    }

    private suspend fun runAll(list: List<AggregateHook<S>>, aggregate: Aggregate<S>) {
        for (hook in list) hook.run(aggregate)
    }
}
