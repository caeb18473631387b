package dev.estoria.error

/**
 * A stored record cannot be decoded (an event id or stream id that no longer parses, metadata that is
 * not a JSON object of strings, an unreadable timestamp): the stored data was changed behind the
 * store's back or by an incompatible writer. It is never the caller's fault, so it is not an
 * [InvalidInputException]; reads stop at the record instead of skipping it silently, and a global reader
 * halts at [globalPosition] until an operator repairs or removes the row.
 *
 * @property streamId the stream id text exactly as stored (it may itself be the corrupted field).
 * @property globalPosition the record's global position, or `null` when the store has none.
 * @property field the stored field that cannot be decoded, e.g. `event_id`, `metadata`.
 */
public class CorruptedDataException(
    public val streamId: String,
    public val globalPosition: Long?,
    public val field: String,
    cause: Throwable?,
) : EstoriaException(
    "stored data is corrupted: $field of the event at global position $globalPosition in stream '$streamId' " +
        "cannot be decoded" + (cause?.message?.let { ": $it" } ?: ""),
    cause,
)
