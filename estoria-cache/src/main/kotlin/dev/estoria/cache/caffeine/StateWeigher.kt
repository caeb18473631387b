package dev.estoria.cache.caffeine

import dev.estoria.id.TypeId

/** Estimates the weight of a cached state (e.g. its size in bytes) for weight-bounded caches. */
public fun interface StateWeigher<S> {
    /** The weight (>= 0) of [state] cached for [id] at [version]. */
    public fun weigh(id: TypeId, version: Long, state: S): Int
}
