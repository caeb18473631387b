package dev.estoria.async.internal

import dev.estoria.aggregate.Aggregate
import dev.estoria.aggregate.AggregateDefinition
import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.aggregatestore.update
import dev.estoria.aggregatestore.upsert
import dev.estoria.async.AsyncAggregateStore
import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.java.CallContext
import java.util.concurrent.CompletableFuture
import java.util.function.Function

/** [AsyncAggregateStore] over [inner]: each call is one delegation through [runtime]. */
internal class AsyncAggregateStoreAdapter<S>(
    private val inner: AggregateStore<S>,
    private val runtime: FacadeRuntime,
) : AsyncAggregateStore<S> {

    override val definition: AggregateDefinition<S> get() = inner.definition

    override fun create(): Aggregate<S> = inner.new()

    override fun create(id: TypeId): Aggregate<S> = inner.new(id)

    override fun load(id: TypeId): CompletableFuture<Aggregate<S>> = runtime.future { inner.load(id, null) }

    override fun load(id: TypeId, toVersion: Long): CompletableFuture<Aggregate<S>> = runtime.future { inner.load(id, toVersion) }

    override fun hydrate(aggregate: Aggregate<S>): CompletableFuture<Void?> =
        runtime.future { inner.hydrate(aggregate, null); null }

    override fun hydrate(aggregate: Aggregate<S>, toVersion: Long): CompletableFuture<Void?> =
        runtime.future { inner.hydrate(aggregate, toVersion); null }

    override fun save(aggregate: Aggregate<S>): CompletableFuture<Void?> = save(aggregate, CallContext.EMPTY)

    override fun save(aggregate: Aggregate<S>, context: CallContext): CompletableFuture<Void?> =
        runtime.future(context.asContextElement()) { context.applyTo(aggregate); inner.save(aggregate); null }

    override fun update(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        update(id, CallContext.EMPTY, retry, decide)

    override fun update(id: TypeId, context: CallContext, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        runtime.future(context.asContextElement()) { ContextStore(inner, context).update(id, retry) { state -> events(decide.apply(state)) } }

    override fun upsert(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        upsert(id, CallContext.EMPTY, retry, decide)

    override fun upsert(id: TypeId, context: CallContext, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        runtime.future(context.asContextElement()) { ContextStore(inner, context).upsert(id, retry) { state -> events(decide.apply(state)) } }

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncAggregateStore($inner)"

    /** [inner] whose saves add [context]'s metadata first, so `update`'s retries carry it on every attempt. */
    private class ContextStore<S>(private val inner: AggregateStore<S>, private val context: CallContext) : AggregateStore<S> by inner {
        override suspend fun save(aggregate: Aggregate<S>) {
            context.applyTo(aggregate)
            inner.save(aggregate)
        }
    }

    /** Java may hand back null or null elements; the Kotlin helper takes `List<Any>`. */
    private fun events(decided: List<*>?): List<Any> {
        if (decided == null) throw InvalidInputException("decide returned null for aggregate '${definition.type}': return an empty list to save nothing")
        return decided.map { it ?: throw InvalidInputException("decide returned a null event for aggregate '${definition.type}'") }
    }
}
