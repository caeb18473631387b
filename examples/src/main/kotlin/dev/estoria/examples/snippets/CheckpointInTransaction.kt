// Shown in docs/jdbc.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.event.Event
import dev.estoria.jdbc.JdbcCheckpointStore
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.Connection

object Deposits : Table("deposits") {                      // your read model, an Exposed table
    val account = text("account")
    val position = long("position")
}

fun project(db: Database, checkpoints: JdbcCheckpointStore, event: Event) {
    val position = requireNotNull(event.globalPosition) { "read from readAll" }
    transaction(db) {                                       // your Exposed transaction
        Deposits.insert { it[account] = event.streamId.toString(); it[Deposits.position] = position }
        checkpoints.saveInCurrentTransaction("deposits", position)
    }
}

// plain JDBC: the checkpoint joins your own transaction on your connection
fun project(connection: Connection, checkpoints: JdbcCheckpointStore, position: Long) {
    connection.autoCommit = false
    // … write the read model on `connection` …
    checkpoints.saveOn(connection, "deposits", position)
    connection.commit()
}
