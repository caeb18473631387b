package dev.estoria.examples.snippets

import dev.estoria.event.AppendResult
import dev.estoria.eventstore.GlobalReader
import dev.estoria.examples.quickstart.Accounts
import dev.estoria.examples.quickstart.Deposited
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcLeaseStore
import dev.estoria.jdbc.JdbcProjectionTransactions
import dev.estoria.projection.AppendSignal
import dev.estoria.projection.DeadLetterSink
import dev.estoria.projection.ErrorPolicy
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.projection
import kotlinx.coroutines.CoroutineScope
import java.time.Duration
import javax.sql.DataSource

/** The read model the handlers write (a table, a search index…). */
interface BalanceView {
    /** Adds [amount] to [account]'s balance. */
    suspend fun add(account: TypeId, amount: Long)
}

/** Another consumer of every event. */
fun interface Audit {
    /** Records that an event of [type] is at [position]. */
    fun record(position: Long, type: String)
}

/** docs/projections.md: a projection, its processor with leases and same-transaction commits, read-your-writes. */
suspend fun balancesProjection(
    applicationScope: CoroutineScope,
    eventStore: GlobalReader,
    ds: DataSource,
    view: BalanceView,
    audit: Audit,
    letters: DeadLetterSink,
    signal: AppendSignal,
    metrics: ProjectionListener,
    appended: AppendResult,
) {
    val balances = projection("balances", version = 2) {
        on<Deposited>(Accounts) { e, env -> view.add(env.streamId, e.amount) }   // decoded through Accounts' event registry
        onAny { event, env -> audit.record(env.globalPosition, event.type) }    // every event, raw
        errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(50), deadLetters = letters))
    }

    val options = ProjectionOptions.builder()
        .batchSize(256)                                   // default 256
        .leases(JdbcLeaseStore.postgres(ds), Duration.ofSeconds(15))
        .committer(JdbcProjectionTransactions.postgres(ds))   // same-transaction mode (effectively once)
        .wakeUp(signal)                                   // in-process wake-up, see below
        .listener(metrics)
        .build()
    val processor = ProjectionProcessor(balances, eventStore, JdbcCheckpointStore.postgres(ds), options)
    processor.start(applicationScope)                     // structured concurrency: the caller's scope
    processor.awaitPosition(appended.lastGlobalPosition ?: 0L)   // read-your-writes
    processor.stop()                                      // finishes the batch in flight, releases the lease
}

/** docs/projections.md, partitions: the same projection shared by every instance that runs it. */
fun partitionedBalances(applicationScope: CoroutineScope, store: GlobalReader, ds: DataSource, view: BalanceView): ProjectionProcessor {
    val checkpoints = JdbcCheckpointStore.postgres(ds)
    val options = ProjectionOptions.builder().leases(JdbcLeaseStore.postgres(ds), Duration.ofSeconds(15)).build()
    val balances = projection("balances", version = 2) {
        partitions(8)                                     // 1 (default) .. 1024
        on<Deposited>(Accounts) { e, env -> view.add(env.streamId, e.amount) }
    }
    val processor = ProjectionProcessor(balances, store, checkpoints, options)   // same options, with .leases(…)
    processor.ownedPartitions.value                       // e.g. [0, 3, 5] on this instance
    processor.start(applicationScope)
    return processor
}
