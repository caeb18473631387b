package dev.estoria.aggregatestore.hooks

import dev.estoria.id.TypeId

/** A lifecycle hook that sees an aggregate id (before a load). Throwing aborts the operation. */
public fun interface IdHook {
    /** Runs the hook for [id]. */
    public suspend fun run(id: TypeId)
}
