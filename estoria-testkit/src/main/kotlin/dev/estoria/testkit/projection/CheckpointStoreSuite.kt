package dev.estoria.testkit.projection

import dev.estoria.error.InvalidInputException
import dev.estoria.projection.CheckpointStore
import dev.estoria.testkit.Tck
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull

/** The contract of [CheckpointStore]: the last saved position per name. */
public abstract class CheckpointStoreSuite {
    /** The store under test; called once per clause. */
    protected abstract fun checkpointStore(): CheckpointStore

    private fun newName() = "tck-projection-${UUID.randomUUID()}"

    /**
     * A projection that never ran starts from the beginning; `null` must mean exactly that, whatever
     * checkpoints other projections saved.
     */
    @Test
    public fun `load returns null for a name never saved`(): TestResult = Tck.run {
        val store = checkpointStore()
        val name = newName()
        val other = newName()
        store.save(other, 5)
        assertNull(store.load(name))
        assertEquals(5, store.load(other))
    }

    /**
     * A projection resumes after its last saved position; each save must replace the previous one, including
     * a reset to 0 to rebuild the projection.
     */
    @Test
    public fun `load returns the last position saved`(): TestResult = Tck.run {
        val store = checkpointStore()
        val name = newName()
        store.save(name, 42)
        assertEquals(42, store.load(name))
        store.save(name, 43)
        assertEquals(43, store.load(name))
        store.save(name, 0)
        assertEquals(0, store.load(name))
    }

    /** Many projections share one checkpoint store; one projection's progress must never move another's. */
    @Test
    public fun `names are independent`(): TestResult = Tck.run {
        val store = checkpointStore()
        val a = newName()
        val b = newName()
        store.save(a, 1)
        store.save(b, 2)
        assertEquals(1, store.load(a))
        assertEquals(2, store.load(b))
    }

    /**
     * Retiring a projection version after a rebuild deletes its checkpoints: a deleted name must load as
     * `null` (a later run starts from the beginning), other names must keep theirs, and deleting a name never
     * saved (or twice) is a no-op.
     */
    @Test
    public fun `delete removes one name's checkpoint and leaves the others`(): TestResult = Tck.run {
        val store = checkpointStore()
        val a = newName()
        val b = newName()
        store.save(a, 11)
        store.save(b, 12)
        store.delete(a)
        assertNull(store.load(a))
        assertEquals(12, store.load(b))
        store.delete(a)
        store.delete(newName())
        assertFailsWith<InvalidInputException> { store.delete(" ") }
        store.save(a, 3)
        assertEquals(3, store.load(a))
    }

    /**
     * A blank name or a negative position is a programming error; it must fail with InvalidInputException instead of
     * being stored, and leave existing checkpoints alone.
     */
    @Test
    public fun `blank names and negative positions are refused and change nothing`(): TestResult = Tck.run {
        val store = checkpointStore()
        val name = newName()
        store.save(name, 7)
        assertFailsWith<InvalidInputException> { store.save(name, -1) }
        assertFailsWith<InvalidInputException> { store.save(" ", 1) }
        assertFailsWith<InvalidInputException> { store.load("") }
        assertEquals(7, store.load(name))
    }

    /**
     * A name holding a lone UTF-16 surrogate is stored as `?` by the JDBC drivers (two such names would share one
     * row, one projection moving another's checkpoint) and a NUL fails on PostgreSQL only: both must be refused
     * with InvalidInputException everywhere, while names with whole surrogate pairs are kept apart exactly.
     */
    @Test
    public fun `names holding a lone surrogate or NUL are refused, names with surrogate pairs round-trip`(): TestResult = Tck.run {
        val store = checkpointStore()
        val base = newName()
        val emoji = "\uD83D\uDE00"
        store.save(base + emoji, 3)
        for (bad in listOf(base + emoji.take(1), base + emoji.drop(1), base + "\u0000")) {
            assertFailsWith<InvalidInputException> { store.save(bad, 9) }
            assertFailsWith<InvalidInputException> { store.load(bad) }
        }
        assertEquals(3, store.load(base + emoji))
        assertNull(store.load(base + "?"))
    }
}
