package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * A backend operation failed for a reason outside Estoria's contract (connection refused, timeout,
 * server error). [cause] is the driver's exception.
 *
 * @property operation the backend operation that failed, e.g. `append`.
 * @property streamId the stream the operation was working on, or `null` for store-wide operations.
 */
public open class StoreException(
    public val operation: String,
    public val streamId: TypeId?,
    message: String,
    cause: Throwable?,
) : EstoriaException(message, cause) {
    /** Creates a failure of [operation] on [streamId] (nullable for store-wide operations). */
    public constructor(operation: String, streamId: TypeId?, cause: Throwable?) :
        this(operation, streamId, "$operation failed" + (streamId?.let { " on stream $it" } ?: "") +
            (cause?.message?.let { ": $it" } ?: ""), cause)
}
