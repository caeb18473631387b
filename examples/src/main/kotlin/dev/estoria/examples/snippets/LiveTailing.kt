package dev.estoria.examples.snippets

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.live.PostgresAppendListener
import dev.estoria.jdbc.live.PostgresAppendNotifier
import dev.estoria.jdbc.live.PostgresConnections
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.signalling
import kotlinx.coroutines.CoroutineScope

/**
 * docs/live-tailing.md: a JVM that appends notifies (after its appends return, on a dedicated connection) and a
 * JVM that runs processors listens; returns the store the writers should use.
 */
fun <S> liveTailing(
    applicationScope: CoroutineScope,
    eventStore: S,
    balances: Projection,
    checkpoints: CheckpointStore,
    jdbcUrl: String,
    user: String,
    password: String,
): EventStore where S : EventStore, S : GlobalReader {
    val storeOptions = JdbcStoreOptions.DEFAULT                       // the channel is named from schema + prefix
    val direct = PostgresConnections.of(jdbcUrl, user, password)      // dedicated connections, NOT the pool

    // writers (every JVM that appends)
    val notifier = PostgresAppendNotifier(direct, storeOptions)
    notifier.start(applicationScope)
    val writer = eventStore.signalling(notifier.signal)               // use `writer` for appends (repositories)

    // readers (every JVM that runs processors or forwarders)
    val listener = PostgresAppendListener(direct, storeOptions)
    listener.start(applicationScope)
    val options = ProjectionOptions.builder().wakeUp(listener.signal).build()
    ProjectionProcessor(balances, eventStore, checkpoints, options).start(applicationScope)
    return writer
}
