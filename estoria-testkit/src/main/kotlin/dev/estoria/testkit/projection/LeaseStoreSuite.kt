package dev.estoria.testkit.projection

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.LeaseLostException
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.testkit.Tck
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The contract of [LeaseStore]: one owner at a time per name, an epoch bumped by every acquisition, expiry on
 * the store's clock, and the fenced compare-and-set of the checkpoint that [checkpointStore] loads.
 */
public abstract class LeaseStoreSuite {
    /** The lease store under test; called once per clause. */
    protected abstract fun leaseStore(): LeaseStore

    /** The checkpoint store whose checkpoints the lease store's fenced writes move. */
    protected abstract fun checkpointStore(): CheckpointStore

    private fun newName() = "tck-lease-${UUID.randomUUID()}"

    private val long = Duration.ofMinutes(5)

    /**
     * One active instance per projection: while a lease is held no other owner may acquire it, and every
     * acquisition (a re-acquisition by the owner too) must bump the epoch that fences checkpoint writes.
     */
    @Test
    public fun `a held lease is refused to another owner and every acquisition bumps the epoch`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        val first = assertNotNull(store.tryAcquire(name, "a", long))
        assertNull(store.tryAcquire(name, "b", long))
        val again = assertNotNull(store.tryAcquire(name, "a", long))
        assertTrue(again.epoch > first.epoch, "epoch ${again.epoch} after ${first.epoch}")
        assertEquals("a", again.owner)
        assertEquals(name, again.name)
    }

    /**
     * Failover: a lease that is not renewed must expire on the store's clock and go to a standby; from then
     * on the old owner is a zombie that can neither renew nor commit a checkpoint.
     */
    @Test
    public fun `an expired lease goes to another owner and the old owner can neither renew nor commit`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        val old = assertNotNull(store.tryAcquire(name, "a", Duration.ofMillis(200)))
        assertNull(store.tryAcquire(name, "b", long))
        val taken = withContext(Dispatchers.Default) { acquireEventually(store, name, "b") }
        assertTrue(taken.epoch > old.epoch)
        assertFailsWith<LeaseLostException> { store.renew(old, long) }
        assertFailsWith<LeaseLostException> { store.commitCheckpoint(old, null, 3) }
        assertNull(checkpointStore().load(name))
        store.commitCheckpoint(taken, null, 4)
        assertEquals(4, checkpointStore().load(name))
    }

    /**
     * The checkpoint write is a compare-and-set on the previous position: two writers that read the same
     * checkpoint must not both move it, or a batch would be applied twice.
     */
    @Test
    public fun `the fenced checkpoint write is a compare-and-set on the previous position`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        val lease = assertNotNull(store.tryAcquire(name, "a", long))
        store.commitCheckpoint(lease, null, 5)
        assertFailsWith<CheckpointConflictException> { store.commitCheckpoint(lease, null, 6) }
        assertFailsWith<CheckpointConflictException> { store.commitCheckpoint(lease, 4, 6) }
        store.commitCheckpoint(lease, 5, 7)
        assertEquals(7, checkpointStore().load(name))
        val renewed = store.renew(lease, long)
        assertEquals(lease.epoch, renewed.epoch)
        store.commitCheckpoint(renewed, 7, 9)
        assertEquals(9, checkpointStore().load(name))
    }

    /** A graceful stop hands over at once: a released lease must be acquirable by another owner without waiting for expiry. */
    @Test
    public fun `a released lease is acquired by another owner at once`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        val lease = assertNotNull(store.tryAcquire(name, "a", long))
        assertNull(store.tryAcquire(name, "b", long))
        store.release(lease)
        val next = assertNotNull(store.tryAcquire(name, "b", long))
        assertTrue(next.epoch > lease.epoch)
        assertFailsWith<LeaseLostException> { store.commitCheckpoint(lease, null, 1) }
    }

    /**
     * Partitioned processors count the live instances from the leases under a projection's prefix, and a
     * rebuild finds a retired version's leases there: the listing must hold exactly the names under the prefix,
     * in name order, with `held` judged on the store's clock (false once released), and nothing else.
     */
    @Test
    public fun `leases lists the leases under a prefix, held or ended`(): TestResult = Tck.run {
        val store = leaseStore()
        val prefix = newName()
        val a = assertNotNull(store.tryAcquire("$prefix#b", "x", long))
        assertNotNull(store.tryAcquire("$prefix#a", "y", long))
        assertNotNull(store.tryAcquire("${prefix}z", "z", long))
        assertNotNull(store.tryAcquire(newName(), "w", long))
        store.release(a)
        val listed = store.leases("$prefix#")
        assertEquals(listOf("$prefix#a" to true, "$prefix#b" to false), listed.map { it.name to it.held })
        assertEquals(listOf("y", "x"), listed.map { it.owner })
        assertEquals(a.epoch, listed[1].epoch)
        assertEquals(emptyList(), store.leases(newName()))
    }

    /**
     * Retiring a projection deletes its leases: the holder of a deleted lease must be unable to renew or commit,
     * the name must be free for anyone at once, and deleting a missing name is a no-op.
     */
    @Test
    public fun `a deleted lease is lost by its holder and its name is free at once`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        val lease = assertNotNull(store.tryAcquire(name, "a", long))
        store.delete(name)
        assertEquals(emptyList(), store.leases(name))
        assertFailsWith<LeaseLostException> { store.renew(lease, long) }
        assertFailsWith<LeaseLostException> { store.commitCheckpoint(lease, null, 1) }
        assertNull(checkpointStore().load(name))
        assertNotNull(store.tryAcquire(name, "b", long))
        store.delete(name)
        store.delete(name)
        assertFailsWith<InvalidInputException> { store.delete("") }
    }

    /** A blank owner, a non-positive duration or an invalid name are programming errors, refused before anything is stored. */
    @Test
    public fun `bad owners, durations and names are refused with InvalidInputException`(): TestResult = Tck.run {
        val store = leaseStore()
        val name = newName()
        assertFailsWith<InvalidInputException> { store.tryAcquire(name, " ", long) }
        assertFailsWith<InvalidInputException> { store.tryAcquire(name, "a", Duration.ZERO) }
        assertFailsWith<InvalidInputException> { store.tryAcquire("", "a", long) }
        assertNotNull(store.tryAcquire(name, "a", long))
    }

    private suspend fun acquireEventually(store: LeaseStore, name: String, owner: String): Lease {
        while (true) {
            store.tryAcquire(name, owner, long)?.let { return it }
            delay(20)
        }
    }
}
