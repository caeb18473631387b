package dev.estoria.aggregate

import dev.estoria.id.TypeId

/** Creates the state of an aggregate that has no events yet. */
public fun interface InitialState<S> {
    /** The state of the new aggregate [id]. */
    public fun create(id: TypeId): S
}
