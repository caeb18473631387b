// The Kotlin quick start of README.md, verbatim from its imports on (ReadmeKotlinQuickStartTest checks it).
package dev.estoria.examples.quickstart

import dev.estoria.aggregate.aggregate
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.eventstore.EventStore
import dev.estoria.jdbc.SqliteEventStore
import kotlinx.serialization.Serializable
import java.nio.file.Path

@Serializable data class Account(val id: String, val owner: String = "", val balance: Long = 0)
@Serializable data class Opened(val owner: String)
@Serializable data class Deposited(val amount: Long)

val Accounts = aggregate<Account>("account") {
    initial { id -> Account(id.toString()) }
    on<Opened>("opened") { e -> copy(owner = e.owner) }
    on<Deposited>("deposited") { e -> copy(balance = balance + e.amount) }
}

suspend fun main() {
    val events: EventStore = SqliteEventStore.file(Path.of("bank.db"))   // or PostgreSQL / in-memory
    val store = EventSourcedAggregateStore(events, Accounts)

    val account = store.new()                               // id: account_<uuidv7>
    account.append(Opened("Ada"), Deposited(100))
    store.save(account)                                     // appends at version 0 → 2

    // A command handler: load, decide, save; retried on version conflicts with back-off.
    store.update(account.id) { state -> listOf(Deposited(state.balance / 10)) }

    println(store.load(account.id).state)                   // Account(…, owner=Ada, balance=110)
    events.readStream(account.id).collect { println("${it.streamVersion} ${it.type}") }
}
