package dev.estoria.examples.snippets

import dev.estoria.eventstore.GlobalReader
import dev.estoria.forwarding.ForwardHandler
import dev.estoria.forwarding.Forwarder
import dev.estoria.forwarding.ForwarderListener
import dev.estoria.forwarding.ForwarderOptions
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.projection.AppendSignal
import kotlinx.coroutines.CoroutineScope
import java.time.Duration
import java.util.concurrent.CompletableFuture
import javax.sql.DataSource

/** Stands for a Kafka producer's `send(record)`: completes when the broker has the record. */
fun interface Producer {
    /** Sends [value] under [key] to [topic]. */
    fun send(topic: String, key: String, value: ByteArray): CompletableFuture<*>
}

/** docs/forwarders.md: deliver the log to an external system, then inspect and release halted streams. */
suspend fun forwarding(
    applicationScope: CoroutineScope,
    eventStore: GlobalReader,
    ds: DataSource,
    producer: Producer,
    listener: AppendSignal,
    metrics: ForwarderListener,
    streamId: TypeId,
) {
    val forwarder = Forwarder(
        name = "orders-to-kafka",                          // the checkpoint's key
        reader = eventStore,
        checkpoints = JdbcCheckpointStore.postgres(ds),
        handler = ForwardHandler { env ->
            // return = delivered; throw = not delivered (retried, then the stream is halted)
            producer.send("orders", env.streamId.toString(), env.event.data).get()
        },
        options = ForwarderOptions.builder()
            .retries(5, Duration.ofMillis(100), Duration.ofSeconds(10))   // default: 5 calls, 100 ms doubling to 10 s
            .wakeUp(listener)                                              // optional, see live-tailing.md
            .listener(metrics)                                             // delivered, retrying, halted, released, checkpointed
            .build(),
    )
    forwarder.start(applicationScope)
    forwarder.halted.value                     // List<HaltedStream>: stream, held event, cause, attempts
    forwarder.release(streamId)                // resume a halted stream, in order, from its held event
    forwarder.metrics.value                    // delivered, retried, haltedStreams, checkpoint
    forwarder.lag()                            // events after the checkpoint (held ones included), up to 1,000
    forwarder.stop()                           // after the event in flight; the checkpoint is saved
}
