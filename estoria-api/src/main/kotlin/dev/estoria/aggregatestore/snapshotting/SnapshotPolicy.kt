package dev.estoria.aggregatestore.snapshotting

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId

/** Decides after each save whether to take a snapshot. */
public fun interface SnapshotPolicy {
    /** Whether to snapshot [aggregateId] after a save moved it from [previousVersion] to [newVersion]. */
    public fun shouldSnapshot(aggregateId: TypeId, previousVersion: Long, newVersion: Long): Boolean

    /** Presets. */
    public companion object {
        /**
         * Snapshot whenever a save crosses a multiple of [n] (n >= 1): with n = 10, saves reaching
         * versions 10, 20, … — or jumping over them — take one.
         */
        @JvmStatic
        public fun everyNEvents(n: Long): SnapshotPolicy {
            if (n < 1) throw InvalidInputException("n must be >= 1, was $n")
            return SnapshotPolicy { _, previous, new -> new / n > previous / n }
        }

        /** Never snapshot (reads still use existing snapshots). */
        @JvmField
        public val NEVER: SnapshotPolicy = SnapshotPolicy { _, _, _ -> false }
    }
}
