package dev.estoria.projection.memory

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.LeaseLostException
import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseArguments
import dev.estoria.projection.LeaseStore
import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Leases in memory over [checkpoints], judged on [clock] (default: UTC system clock; tests pass a clock they
 * move). One lock serializes every operation, so acquisition and the fenced checkpoint write are atomic.
 *
 * TCK: `LeaseStoreSuite`, `ProjectionSuite`.
 *
 * @property checkpoints the checkpoints its fenced writes move (give it to the processor too).
 */
public class InMemoryLeaseStore @JvmOverloads constructor(
    public val checkpoints: InMemoryCheckpointStore = InMemoryCheckpointStore(),
    private val clock: Clock = Clock.systemUTC(),
) : LeaseStore {
    private class Held(val owner: String, val epoch: Long, val expiresAt: Instant)

    private val leases = HashMap<String, Held>()
    private val lock = Any()

    override suspend fun tryAcquire(name: String, owner: String, duration: Duration): Lease? {
        LeaseArguments.validate(name, owner, duration)
        synchronized(lock) {
            val now = clock.instant()
            val held = leases[name]
            if (held != null && held.owner != owner && held.expiresAt.isAfter(now)) return null
            val next = Held(owner, (held?.epoch ?: 0L) + 1, now.plus(duration))
            leases[name] = next
            return Lease(name, owner, next.epoch, next.expiresAt)
        }
    }

    override suspend fun renew(lease: Lease, duration: Duration): Lease {
        LeaseArguments.validate(lease.name, lease.owner, duration)
        synchronized(lock) {
            val now = requireHeld(lease)
            val next = Held(lease.owner, lease.epoch, now.plus(duration))
            leases[lease.name] = next
            return Lease(lease.name, lease.owner, lease.epoch, next.expiresAt)
        }
    }

    override suspend fun release(lease: Lease) {
        synchronized(lock) {
            val held = leases[lease.name] ?: return
            if (held.owner == lease.owner && held.epoch == lease.epoch) leases[lease.name] = Held(held.owner, held.epoch, clock.instant())
        }
    }

    override suspend fun commitCheckpoint(lease: Lease, previous: Long?, position: Long) {
        CheckpointNames.validate(lease.name, position)
        synchronized(lock) {
            requireHeld(lease)
            if (!checkpoints.compareAndSet(lease.name, previous, position)) throw CheckpointConflictException(lease.name, previous)
        }
    }

    override suspend fun leases(prefix: String): List<Lease> = synchronized(lock) {
        val now = clock.instant()
        leases.filterKeys { it.startsWith(prefix) }.toSortedMap()
            .map { (name, held) -> Lease(name, held.owner, held.epoch, held.expiresAt, held.expiresAt.isAfter(now)) }
    }

    override suspend fun delete(name: String) {
        CheckpointNames.validate(name)
        synchronized(lock) {
            leases.remove(name)
        }
    }

    /** Returns the clock's now when [lease] is held, or throws. */
    private fun requireHeld(lease: Lease): Instant {
        val now = clock.instant()
        val held = leases[lease.name]
        if (held == null || held.owner != lease.owner || held.epoch != lease.epoch || !held.expiresAt.isAfter(now)) {
            throw LeaseLostException(lease.name, lease.epoch, "lease '${lease.name}' of ${lease.owner} at epoch ${lease.epoch} is no longer held")
        }
        return now
    }
}
