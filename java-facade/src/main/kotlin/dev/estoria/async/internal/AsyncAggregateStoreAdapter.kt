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

    override fun save(aggregate: Aggregate<S>): CompletableFuture<Void?> = runtime.future { inner.save(aggregate); null }

    override fun update(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        runtime.future { inner.update(id, retry) { state -> events(decide.apply(state)) } }

    override fun upsert(id: TypeId, retry: RetryPolicy, decide: Function<in S, out List<*>>): CompletableFuture<Aggregate<S>> =
        runtime.future { inner.upsert(id, retry) { state -> events(decide.apply(state)) } }

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncAggregateStore($inner)"

    /** Java may hand back null or null elements; the Kotlin helper takes `List<Any>`. */
    private fun events(decided: List<*>?): List<Any> {
        if (decided == null) throw InvalidInputException("decide returned null for aggregate '${definition.type}': return an empty list to save nothing")
        return decided.map { it ?: throw InvalidInputException("decide returned a null event for aggregate '${definition.type}'") }
    }
}
