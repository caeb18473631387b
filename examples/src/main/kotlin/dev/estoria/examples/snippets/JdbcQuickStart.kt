// Shown in docs/jdbc.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import java.nio.file.Path

suspend fun jdbcStores(accountId: TypeId, bytes: ByteArray, checkpoint: Long, project: suspend (Event) -> Unit) {
    // SQLite: one file, schema created on first use. This is what the demo uses.
    SqliteEventStore.file(Path.of("data/bank.db")).use { sqlite ->
        sqlite.readStream(accountId).collect { println(it) }
    }

    // PostgreSQL: your pool, schema created (idempotently) at startup.
    val pool = HikariDataSource(HikariConfig().apply {
        jdbcUrl = "jdbc:postgresql://localhost:5432/app"; username = "app"; password = "secret"; maximumPoolSize = 10
    })
    val pg = PostgresEventStore.create(pool, JdbcStoreOptions.builder().schema("events").build())

    val result = pg.appendStream(accountId, listOf(WritableEvent.of("deposited", bytes)), ExpectedVersion.Exact(3))
    println("stream at version ${result.nextExpectedVersion}")
    pg.readStream(accountId).collect { println(it) }
    pg.readAll(afterPosition = checkpoint).collect { project(it) }

    // Snapshots and checkpoints on the same pool / file
    val snapshots = JdbcSnapshotStore.postgres(pool, keepLast = 3)
    val checkpoints = JdbcCheckpointStore.postgres(pool)

    pg.close()      // at shutdown: the stores first, then your pool
    pool.close()
}
