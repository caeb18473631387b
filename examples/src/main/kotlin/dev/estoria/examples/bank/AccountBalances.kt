package dev.estoria.examples.bank

import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcLeaseStore
import dev.estoria.jdbc.JdbcProjectionTransactions
import dev.estoria.projection.BatchCommitter
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.memory.InMemoryLeaseStore
import dev.estoria.projection.projection
import java.sql.Connection
import java.util.concurrent.ConcurrentHashMap
import javax.sql.DataSource

/** One row of the demo's read model. */
data class BalanceRow(val accountId: String, val owner: String, val balance: Long)

/**
 * The demo's read model: every account's owner and balance, kept by the projection `account_balances`
 * (decoded through the `Accounts` definition's event registry) and read back with [all].
 */
interface AccountBalances {
    val projection: Projection
    val checkpoints: CheckpointStore
    val leases: LeaseStore
    val committer: BatchCommitter?
    suspend fun all(): List<BalanceRow>
}

/** The read model in memory (the `--memory` backend), at least once. */
class MemoryAccountBalances : AccountBalances {
    private val rows = ConcurrentHashMap<String, BalanceRow>()
    private val memoryLeases = InMemoryLeaseStore()
    override val checkpoints: CheckpointStore = memoryLeases.checkpoints
    override val leases: LeaseStore = memoryLeases
    override val committer: BatchCommitter? = null

    override val projection: Projection = projection("account_balances") {
        on<AccountOpened>(Accounts) { e, env -> rows[env.streamId.toString()] = BalanceRow(env.streamId.toString(), e.owner, 0) }
        on<MoneyDeposited>(Accounts) { e, env -> rows.computeIfPresent(env.streamId.toString()) { _, r -> r.copy(balance = r.balance + e.amount) } }
        on<MoneyWithdrawn>(Accounts) { e, env -> rows.computeIfPresent(env.streamId.toString()) { _, r -> r.copy(balance = r.balance - e.amount) } }
    }

    override suspend fun all(): List<BalanceRow> = rows.values.sortedBy { it.accountId }
}

/**
 * The read model as the table `demo_account_balances` in the demo's database (the same SQLite file as the
 * events), written in the same transaction as the projection's checkpoint: effectively once.
 */
class SqlAccountBalances(private val dataSource: DataSource, sqlite: Boolean) : AccountBalances {
    init {
        dataSource.connection.use { c ->
            c.createStatement().use {
                it.execute("CREATE TABLE IF NOT EXISTS demo_account_balances (account_id TEXT PRIMARY KEY, owner TEXT NOT NULL, balance BIGINT NOT NULL)")
            }
        }
    }

    override val checkpoints: CheckpointStore =
        if (sqlite) JdbcCheckpointStore.sqlite(dataSource) else JdbcCheckpointStore.postgres(dataSource)
    override val leases: LeaseStore = if (sqlite) JdbcLeaseStore.sqlite(dataSource) else JdbcLeaseStore.postgres(dataSource)
    override val committer: BatchCommitter =
        if (sqlite) JdbcProjectionTransactions.sqlite(dataSource) else JdbcProjectionTransactions.postgres(dataSource)

    override val projection: Projection = projection("account_balances") {
        on<AccountOpened>(Accounts) { e, env ->
            update(JdbcProjectionTransactions.connection(), "INSERT INTO demo_account_balances (account_id, owner, balance) VALUES (?, ?, 0) ON CONFLICT (account_id) DO NOTHING", env.streamId.toString(), e.owner)
        }
        on<MoneyDeposited>(Accounts) { e, env -> add(JdbcProjectionTransactions.connection(), env.streamId.toString(), e.amount) }
        on<MoneyWithdrawn>(Accounts) { e, env -> add(JdbcProjectionTransactions.connection(), env.streamId.toString(), -e.amount) }
    }

    private fun add(c: Connection, id: String, amount: Long) {
        c.prepareStatement("UPDATE demo_account_balances SET balance = balance + ? WHERE account_id = ?").use { ps ->
            ps.setLong(1, amount)
            ps.setString(2, id)
            ps.executeUpdate()
        }
    }

    private fun update(c: Connection, sql: String, vararg values: String) {
        c.prepareStatement(sql).use { ps ->
            values.forEachIndexed { i, v -> ps.setString(i + 1, v) }
            ps.executeUpdate()
        }
    }

    override suspend fun all(): List<BalanceRow> = dataSource.connection.use { c ->
        c.createStatement().use { st ->
            st.executeQuery("SELECT account_id, owner, balance FROM demo_account_balances ORDER BY account_id").use { rs ->
                buildList { while (rs.next()) add(BalanceRow(rs.getString(1), rs.getString(2), rs.getLong(3))) }
            }
        }
    }
}
