package dev.estoria.projection

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.LeaseLostException
import java.time.Duration

/**
 * Leases that keep one active instance per projection across JVMs, and the fenced checkpoint write of
 * the owner. A store judges expiry on ITS clock (the database's for JDBC), never the caller's, and
 * serializes acquisitions. The checkpoints it writes are those the matching [CheckpointStore] loads.
 *
 * TCK: `LeaseStoreSuite` (and `ProjectionSuite` for its use by a processor).
 */
public interface LeaseStore {
    /**
     * Acquires [name] for [owner] for [duration] if nobody holds it or its lease expired (or [owner] holds it:
     * re-acquiring also bumps the epoch). Returns the new lease, or `null` when another owner holds it.
     *
     * @throws InvalidInputException when [name] is not a valid checkpoint name, [owner] is blank or [duration] is not positive.
     */
    public suspend fun tryAcquire(name: String, owner: String, duration: Duration): Lease?

    /**
     * Extends [lease] to [duration] from now.
     *
     * @throws LeaseLostException when the lease expired or another acquisition bumped its epoch.
     */
    public suspend fun renew(lease: Lease, duration: Duration): Lease

    /** Ends [lease] now so another instance can acquire it at once; a no-op when it was lost already. */
    public suspend fun release(lease: Lease)

    /**
     * Moves the checkpoint [Lease.name] from [previous] (`null`: none saved) to [position], only while [lease]
     * is held (same epoch, not expired), atomically.
     *
     * @throws LeaseLostException when the lease is no longer held; nothing is written.
     * @throws CheckpointConflictException when the checkpoint is not at [previous]; nothing is written.
     */
    public suspend fun commitCheckpoint(lease: Lease, previous: Long?, position: Long)

    /**
     * Every lease whose name starts with [prefix] (held or not, see [Lease.held], judged on the store's clock),
     * in name order. Partitioned processors read it to see which instances are alive and what they hold; a
     * rebuild reads it to find a retired version's leases.
     *
     * TCK: `LeaseStoreSuite` "leases lists the leases under a prefix, held or ended, and delete removes one".
     */
    public suspend fun leases(prefix: String): List<Lease>

    /**
     * Deletes the lease [name] (a no-op when there is none): its holder can neither renew nor commit any more
     * ([LeaseLostException]); the next acquisition starts a new lease. Used to retire a projection version.
     *
     * @throws InvalidInputException when [name] is not a valid checkpoint name.
     */
    public suspend fun delete(name: String)
}

/** The argument checks every [LeaseStore] applies before touching storage. */
public object LeaseArguments {
    /**
     * @throws InvalidInputException when [name] is not a valid checkpoint name, [owner] is blank or [duration] is not positive.
     */
    @JvmStatic
    public fun validate(name: String, owner: String, duration: Duration) {
        CheckpointNames.validate(name)
        if (owner.isBlank() || owner.length > CheckpointNames.MAX_LENGTH) throw InvalidInputException("lease owner must be 1-${CheckpointNames.MAX_LENGTH} non-blank characters")
        if (duration.isNegative || duration.isZero) throw InvalidInputException("lease duration must be positive, was $duration")
    }
}
