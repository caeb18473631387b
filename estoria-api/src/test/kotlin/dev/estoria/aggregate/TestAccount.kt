package dev.estoria.aggregate

import dev.estoria.id.TypeId
import kotlinx.serialization.Serializable

@Serializable
data class AccountState(val id: String, val owner: String = "", val balance: Long = 0)

@Serializable
data class Opened(val owner: String)

@Serializable
data class Deposited(val amount: Long)

@Serializable
data class Withdrawn(val amount: Long)

val Account = aggregate<AccountState>("account") {
    initial { id: TypeId -> AccountState(id.toString()) }
    on<Opened>("opened") { e -> copy(owner = e.owner) }
    on<Deposited>("deposited") { e -> copy(balance = balance + e.amount) }
    on<Withdrawn>("withdrawn") { e -> copy(balance = balance - e.amount) }
}
