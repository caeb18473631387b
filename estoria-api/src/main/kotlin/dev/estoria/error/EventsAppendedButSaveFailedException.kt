package dev.estoria.error

import dev.estoria.id.TypeId

/**
 * The events of a save were appended (the stream is now at [appendedVersion]) but a later step of the
 * save failed. Do not retry the command: reload the aggregate.
 *
 * @property aggregateId the aggregate whose events were appended.
 */
public class EventsAppendedButSaveFailedException(
    public val aggregateId: TypeId,
    public val appendedVersion: Long,
    cause: Throwable,
) : EstoriaException(
    "events of aggregate $aggregateId were appended (version $appendedVersion) but the save failed afterwards: " +
        "reload instead of retrying",
    cause,
)
