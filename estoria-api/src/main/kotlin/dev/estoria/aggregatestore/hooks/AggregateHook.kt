package dev.estoria.aggregatestore.hooks

import dev.estoria.aggregate.Aggregate

/** A lifecycle hook that sees an aggregate. Throwing aborts the operation. */
public fun interface AggregateHook<S> {
    /** Runs the hook on [aggregate]. */
    public suspend fun run(aggregate: Aggregate<S>)
}
