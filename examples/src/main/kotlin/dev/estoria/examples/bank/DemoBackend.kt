package dev.estoria.examples.bank

import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore

/** Where the demo keeps its events and snapshots. */
class DemoBackend(
    val description: String,
    val eventStore: EventStore,
    val snapshotStore: SnapshotStore,
    private val onClose: () -> Unit = {},
) : AutoCloseable {
    override fun close() = onClose()

    companion object {
        /** `--memory` (default for now). */
        fun fromArgs(args: Array<String>): DemoBackend {
            val store = InMemoryEventStore()
            return DemoBackend("the in-memory event store", store, InMemorySnapshotStore(keepLast = 3))
        }
    }
}
