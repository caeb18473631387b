package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * Aggregate [aggregateId] at [version] is not a state of its stream any more, so it cannot be brought
 * forward: the stream has no event at [version] (it is shorter, or was truncated past it) or holds
 * another event there (it was deleted and re-created). Load the aggregate again.
 *
 * `hydrate` throws it; the snapshotting and caching layers catch it, discard the stale snapshot or
 * cache entry and replay from the stream instead.
 *
 * TCK: `AggregateLayersSuite` (the delete, re-create, truncate and "ahead of the stream" clauses).
 *
 * @property aggregateId the aggregate (and stream) id.
 * @property version the aggregate's version, which the stream does not confirm.
 */
public class StaleAggregateException(
    public val aggregateId: TypeId,
    public val version: Long,
    reason: String,
) : EstoriaException("aggregate $aggregateId at version $version is not a state of its stream: $reason")
