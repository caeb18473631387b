// Shown in docs/jdbc.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import javax.sql.DataSource

// Once, after a restore from a dump or a move by logical replication, with the writers stopped:
fun afterRestore(dataSource: DataSource, options: JdbcStoreOptions, highestExternalCheckpoint: Long?) {
    if (highestExternalCheckpoint == null) {
        PostgresEventStore.rebasePositions(dataSource, options)                // above every stored position
    } else {                                                                    // and above checkpoints kept elsewhere
        PostgresEventStore.rebasePositions(dataSource, options, abovePosition = highestExternalCheckpoint)
    }
}
