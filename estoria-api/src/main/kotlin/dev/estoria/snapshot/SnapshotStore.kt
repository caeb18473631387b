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
}
