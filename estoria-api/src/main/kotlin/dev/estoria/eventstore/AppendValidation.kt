package dev.estoria.eventstore

import dev.estoria.error.InvalidInputException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId

/**
 * Checks every backend performs on an append before touching storage, so that bad input is refused
 * the same way everywhere.
 */
public object AppendValidation {
    /**
     * @throws InvalidInputException when two events of the batch share an id.
     */
    @JvmStatic
    public fun validate(streamId: TypeId, events: List<WritableEvent>) {
        if (events.size > 1) {
            val ids = HashSet<TypeId>(events.size * 2)
            for (event in events) {
                if (!ids.add(event.id)) throw InvalidInputException("event id ${event.id} appears twice in one append to $streamId")
            }
        }
    }

    /**
     * Decides the idempotent-retry case: [stored] are the events found at the versions the batch would
     * occupy, starting with the stored copy of `events.first()`. Returns true when the batch is the same
     * batch at the same versions (so the store returns [stored] as the result), false when it is not.
     * [expected] must also agree with where the batch was stored.
     */
    @JvmStatic
    public fun isSameBatch(events: List<WritableEvent>, stored: List<Event>, expected: ExpectedVersion): Boolean {
        if (stored.size != events.size) return false
        for (i in events.indices) {
            if (!events[i].sameContentAs(stored[i])) return false
            if (i > 0 && stored[i].streamVersion != stored[i - 1].streamVersion + 1) return false
        }
        val firstVersion = stored.first().streamVersion
        return when (expected) {
            is ExpectedVersion.Exact -> expected.version == firstVersion - 1
            ExpectedVersion.NoStream -> firstVersion == 1L
            ExpectedVersion.StreamExists -> firstVersion > 1L
            ExpectedVersion.Any -> true
        }
    }
}
