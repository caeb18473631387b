package dev.estoria.cache

import dev.estoria.id.TypeId

/**
 * A cached aggregate [state] at [version], with [lastEventId], the id of the aggregate's event at
 * [version] (`null`: unknown, as in entries written by older releases). The caching layer checks the id
 * against the stream on a hit and discards an entry the stream does not confirm; one without an id is
 * unverifiable and discarded too (TCK: `AggregateLayersSuite`).
 */
public class CachedState<S> @JvmOverloads constructor(
    public val version: Long,
    public val state: S,
    public val lastEventId: TypeId? = null,
) {
    override fun toString(): String = "CachedState(version=$version, state=$state, lastEvent=$lastEventId)"
}
