package dev.estoria.testkit.projection

import dev.estoria.error.InvalidInput
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

    @Test
    public fun `load returns null for a name never saved`(): TestResult = Tck.run {
        val store = checkpointStore()
        val name = newName()
        val other = newName()
        store.save(other, 5)
        assertNull(store.load(name))
        assertEquals(5, store.load(other))
    }

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

    @Test
    public fun `blank names and negative positions are refused and change nothing`(): TestResult = Tck.run {
        val store = checkpointStore()
        val name = newName()
        store.save(name, 7)
        assertFailsWith<InvalidInput> { store.save(name, -1) }
        assertFailsWith<InvalidInput> { store.save(" ", 1) }
        assertFailsWith<InvalidInput> { store.load("") }
        assertEquals(7, store.load(name))
    }
}
