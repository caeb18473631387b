package dev.estoria.snapshot

import dev.estoria.id.TypeId

/**
 * Stores snapshots of aggregate state.
 *
 * TCK: `SnapshotStoreSuite` ("read returns the newest snapshot at or below the requested version",
 * "snapshots of different aggregate types never mix", retention clauses).
 */
public interface SnapshotStore {
    /**
     * The snapshot of [aggregateId] with the highest version `<= maxVersion` (default `null`: the
     * newest), or `null` when there is none.
     */
    public suspend fun read(aggregateId: TypeId, maxVersion: Long? = null): Snapshot?

    /**
     * Stores [snapshot]; a snapshot at a version already stored replaces it. Stores with a retention
     * setting then drop the oldest snapshots of that aggregate beyond it.
     */
    public suspend fun write(snapshot: Snapshot)

    /**
     * Deletes the snapshots of [aggregateId] at versions `<= toVersion` (default `null`: all of them); a
     * no-op when there are none. The snapshotting layer calls it to discard snapshots the stream no longer
     * confirms; applications call it to erase an aggregate's data from a snapshot store that deleting the
     * stream does not reach (TCK: `SnapshotStoreSuite` "delete removes …").
     */
    public suspend fun delete(aggregateId: TypeId, toVersion: Long? = null)
}
