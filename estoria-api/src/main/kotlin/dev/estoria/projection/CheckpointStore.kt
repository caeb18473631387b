package dev.estoria.projection

/**
 * Remembers how far each named projection (subscriber) has read the global order, so that it resumes
 * after the last position it processed. Positions come from [dev.estoria.eventstore.GlobalReader].
 *
 * TCK: `CheckpointStoreSuite`.
 */
public interface CheckpointStore {
    /** The last position saved for [name], or `null` when none was saved. */
    public suspend fun load(name: String): Long?

    /** Saves [position] (>= 0) for [name], replacing the previous one. */
    public suspend fun save(name: String, position: Long)

    /**
     * Deletes the checkpoint [name] (a no-op when none is saved): [load] returns `null` afterwards. Used to
     * retire a projection version after a rebuild (see `ProjectionProcessor.retire`).
     *
     * TCK: `CheckpointStoreSuite` "delete removes one name's checkpoint and leaves the others".
     */
    public suspend fun delete(name: String)
}
