package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * The connection failed while an append to [streamId] was being committed: the whole batch may be
 * stored, or none of it. Appends are idempotent, so retrying the same batch (same event ids) is safe.
 */
public class AppendOutcomeUnknownException(streamId: TypeId, cause: Throwable?) :
    StoreException(
        "append",
        streamId,
        "append to $streamId: outcome unknown, all events or none may be stored; " +
            "retry the same batch (it is idempotent) or read the stream" + (cause?.message?.let { ": $it" } ?: ""),
        cause,
    )
