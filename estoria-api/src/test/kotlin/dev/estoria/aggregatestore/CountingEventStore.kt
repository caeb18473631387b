package dev.estoria.aggregatestore

import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.onEach
import java.util.concurrent.atomic.AtomicInteger

/** An in-memory store that counts the events its readers receive. */
class CountingEventStore(val inner: InMemoryEventStore = InMemoryEventStore()) : EventStore by inner {
    val eventsRead = AtomicInteger()

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        inner.readStream(streamId, options).onEach { eventsRead.incrementAndGet() }
}
