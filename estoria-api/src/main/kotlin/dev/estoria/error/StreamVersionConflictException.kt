package dev.estoria.error

import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId

/**
 * The stream's version did not match the caller's [expected] version; nothing was written.
 * [actual] is the stream's version when the check failed (0 when the stream does not exist).
 *
 * @property streamId the stream whose append was refused.
 * @property expected the expected version the caller passed.
 * @property actual the stream's version when the check failed.
 * @property attempts how many attempts saw a conflict: 1 for a single append; more when a retrying
 *   helper (`update`, `upsert`) gave up, with the last attempt's conflict as [cause].
 */
public class StreamVersionConflictException @JvmOverloads constructor(
    public val streamId: TypeId,
    public val expected: ExpectedVersion,
    public val actual: Long,
    cause: Throwable? = null,
    public val attempts: Int = 1,
) : EstoriaException(
    "version conflict on stream $streamId: expected $expected, actual $actual" +
        (if (attempts > 1) " (gave up after $attempts attempts)" else ""),
    cause,
)
