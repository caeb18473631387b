package dev.estoria.bench.targets

import dev.estoria.bench.Payloads
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.collect

/** An Estoria [EventStore] called as an application calls it: fresh events, `Exact` expected versions. */
class StoreTarget(private val store: EventStore) : Target<TypeId> {
    override val role: String = "store"

    override fun newStream(): TypeId = TypeId.new("bench")

    override suspend fun append(stream: TypeId, expected: Long, count: Int): Long {
        try {
            return store.appendStream(stream, Payloads.events(count), ExpectedVersion.Exact(expected)).nextExpectedVersion
        } catch (e: StreamVersionConflictException) {
            throw Conflict(e.actual)
        }
    }

    override suspend fun read(stream: TypeId): Int {
        var n = 0
        store.readStream(stream).collect { n++ }
        return n
    }
}
