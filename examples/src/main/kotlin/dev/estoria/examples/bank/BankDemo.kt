package dev.estoria.examples.bank

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import java.util.UUID

/**
 * The bank-account demo: open an account, deposit, withdraw (with a business rule), snapshots every
 * 5 events, a cache, a hook adding correlation metadata, and an account-balances read model kept by a
 * projection (a table in the same SQLite file, written in the checkpoint's transaction). Prints what it does.
 */
fun main(args: Array<String>) = runBlocking {
    val backend = DemoBackend.fromArgs(args)
    println("Estoria demo on ${backend.description}")
    runDemo(backend.eventStore, backend.snapshotStore, backend.balances)
}

suspend fun runDemo(eventStore: EventStore, snapshotStore: SnapshotStore, balances: AccountBalances = MemoryAccountBalances()): Unit = coroutineScope {
    // the read model follows the log while the commands run (a projection processor in this scope)
    val processor = (eventStore as? GlobalReader)?.let { reader ->
        val options = ProjectionOptions.builder().committer(balances.committer).leases(balances.leases).build()
        ProjectionProcessor(balances.projection, reader, balances.checkpoints, options).also { it.start(this) }
    }
    val snapshotsEvery = 5L
    val correlationId = "demo-${UUID.randomUUID().toString().take(8)}"
    val cache = InMemoryAggregateCache<BankAccount>()
    val store: AggregateStore<BankAccount> =
        HookableAggregateStore(
            CachingAggregateStore(
                SnapshottingAggregateStore(
                    EventSourcedAggregateStore(eventStore, Accounts),
                    snapshotStore,
                    SnapshotPolicy.everyNEvents(snapshotsEvery),
                ),
                cache,
            ),
        ) {
            beforeSave { it.putMetadata("correlation_id", correlationId) }
            afterSave { println("  saved ${it.id} at version ${it.version}") }
        }

    println("1. Open an account for Ada")
    val account = store.new()
    account.append(AccountOpened("Ada"))
    store.save(account)

    println("2. Deposit 100, 250 and 40 (one command each, with optimistic concurrency)")
    for (amount in listOf(100L, 250L, 40L)) store.update(account.id) { BankCommands.deposit(it, amount) }

    println("3. Withdraw 500: the business rule refuses it, nothing is written")
    try {
        store.update(account.id) { BankCommands.withdraw(it, 500) }
    } catch (e: InsufficientFunds) {
        println("  refused: ${e.message}")
    }

    println("4. Withdraw 90, then deposit 10 twice")
    store.update(account.id) { BankCommands.withdraw(it, 90) }
    repeat(2) { store.update(account.id) { BankCommands.deposit(it, 10) } }

    val loaded = store.load(account.id)
    println("5. Load: version ${loaded.version}, owner ${loaded.state.owner}, balance ${loaded.state.balance}")
    println("   cached at version ${cache.get(account.id)?.version}")
    println("   newest snapshot at version ${snapshotStore.read(account.id)?.version} (policy: every $snapshotsEvery events)")

    println("6. Time travel: the account at version 3 had balance ${store.load(account.id, 3).state.balance}")

    println("7. The stream, as stored:")
    for (event in eventStore.readStream(account.id).toList()) {
        println("   v${event.streamVersion} ${event.type.padEnd(16)} ${event.data.decodeToString().padEnd(18)} correlation_id=${event.metadata["correlation_id"]}")
    }
    if (eventStore is GlobalReader) {
        println("8. Global order: head position ${eventStore.headPosition()}")
    }
    if (eventStore is GlobalReader && processor != null) {
        processor.awaitPosition(eventStore.headPosition())
        processor.stop()
        println("9. Read model (projection ${balances.projection.checkpointName}, checkpoint ${processor.position.value}):")
        for (row in balances.all()) println("   ${row.accountId} ${row.owner.padEnd(6)} balance ${row.balance}")
        val mine = balances.all().single { it.accountId == account.id.toString() }
        check(mine.balance == loaded.state.balance) { "read model balance ${mine.balance} != ${loaded.state.balance}" }
    }
    check(loaded.state.balance == 100L + 250 + 40 - 90 + 20) { "unexpected balance ${loaded.state.balance}" }
    println("Done: balance ${loaded.state.balance}.")
}
