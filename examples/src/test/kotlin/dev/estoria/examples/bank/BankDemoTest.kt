package dev.estoria.examples.bank

import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class BankDemoTest {
    @Test
    fun `the demo runs to its expected balance`() = runTest {
        runDemo(InMemoryEventStore(), InMemorySnapshotStore())
    }

    @Test
    fun `the demo runs on an SQLite file, the default backend, twice in a row`(@org.junit.jupiter.api.io.TempDir dir: java.nio.file.Path) = runTest {
        repeat(2) {
            val backend = DemoBackend.fromArgs(arrayOf("--sqlite", dir.resolve("bank.db").toString()))
            runDemo(backend.eventStore, backend.snapshotStore, backend.balances)
            // the read model sits in the same file and keeps every run's account, each applied once
            assertEquals(it + 1, backend.balances.all().size)
            assertEquals(setOf(320L), backend.balances.all().map { row -> row.balance }.toSet())
        }
    }

    @Test
    fun `a withdrawal over the balance is refused`() {
        val state = BankAccount("bank_account_x", "Ada", 10, true)
        assertFailsWith<InsufficientFunds> { BankCommands.withdraw(state, 11) }
        assertEquals(listOf<Any>(MoneyWithdrawn(10)), BankCommands.withdraw(state, 10))
    }
}
