package dev.estoria.examples.bank

import dev.estoria.aggregate.aggregate
import dev.estoria.id.TypeId
import kotlinx.serialization.Serializable

/** The state of a bank account: a plain immutable value. */
@Serializable
data class BankAccount(val id: String, val owner: String = "", val balance: Long = 0, val open: Boolean = false)

@Serializable
data class AccountOpened(val owner: String)

@Serializable
data class MoneyDeposited(val amount: Long)

@Serializable
data class MoneyWithdrawn(val amount: Long)

/** The aggregate definition: one evolve function per event. */
val Accounts = aggregate<BankAccount>("bank_account") {
    initial { id: TypeId -> BankAccount(id.toString()) }
    on<AccountOpened>("account_opened") { e -> copy(owner = e.owner, open = true) }
    on<MoneyDeposited>("money_deposited") { e -> copy(balance = balance + e.amount) }
    on<MoneyWithdrawn>("money_withdrawn") { e -> copy(balance = balance - e.amount) }
}

/** A business rule broken by a command. */
class InsufficientFunds(balance: Long, amount: Long) : RuntimeException("cannot withdraw $amount: balance is $balance")

/** The command handlers: decide which events a command leads to, given the current state. */
object BankCommands {
    fun deposit(state: BankAccount, amount: Long): List<Any> {
        require(amount > 0) { "amount must be positive" }
        check(state.open) { "account is not open" }
        return listOf(MoneyDeposited(amount))
    }

    fun withdraw(state: BankAccount, amount: Long): List<Any> {
        require(amount > 0) { "amount must be positive" }
        if (amount > state.balance) throw InsufficientFunds(state.balance, amount)
        return listOf(MoneyWithdrawn(amount))
    }
}
