package dev.estoria.examples.bank

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import org.postgresql.ds.PGSimpleDataSource
import java.nio.file.Path

/**
 * Where the demo keeps its events, snapshots and account-balances read model, chosen by the command line:
 * - no argument, or `--sqlite [file]`: an SQLite file (default `target/estoria-demo/bank.db`), the embedded default;
 * - `--postgres <jdbc-url>`: a PostgreSQL server, e.g. `jdbc:postgresql://localhost:5432/app?user=app&password=secret`;
 * - `--memory`: the in-memory store.
 */
class DemoBackend(
    val description: String,
    val eventStore: EventStore,
    val snapshotStore: SnapshotStore,
    val balances: AccountBalances,
) {
    companion object {
        const val DEFAULT_FILE = "target/estoria-demo/bank.db"

        fun fromArgs(args: Array<String>): DemoBackend = when (args.firstOrNull() ?: "--sqlite") {
            "--memory" -> DemoBackend("the in-memory event store", InMemoryEventStore(), InMemorySnapshotStore(keepLast = 3), MemoryAccountBalances())
            "--sqlite" -> {
                val file = Path.of(args.getOrNull(1) ?: DEFAULT_FILE).toAbsolutePath()
                val dataSource = SqliteEventStore.dataSource(file)
                DemoBackend(
                    "the SQLite file $file", SqliteEventStore.create(dataSource), JdbcSnapshotStore.sqlite(dataSource, keepLast = 3),
                    SqlAccountBalances(dataSource, sqlite = true),
                )
            }
            "--postgres" -> {
                val url = requireNotNull(args.getOrNull(1)) { "--postgres needs a JDBC URL" }
                val dataSource = PGSimpleDataSource().apply { setURL(url) }
                DemoBackend(
                    "PostgreSQL at ${url.substringBefore('?')}", PostgresEventStore.create(dataSource), JdbcSnapshotStore.postgres(dataSource, keepLast = 3),
                    SqlAccountBalances(dataSource, sqlite = false),
                )
            }
            else -> error("usage: [--sqlite [file] | --postgres <jdbc-url> | --memory]")
        }
    }
}
