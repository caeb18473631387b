package dev.estoria.aggregate

/** Applies one event of type [E] to a state: `(state, event) -> state`. Must be total and pure. */
public fun interface Evolver<S, E> {
    /** Returns the state after [event]. */
    public fun evolve(state: S, event: E): S
}
