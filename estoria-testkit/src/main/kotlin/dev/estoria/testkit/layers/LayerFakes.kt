package dev.estoria.testkit.layers

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.onEach
import java.util.concurrent.atomic.AtomicInteger

/** Counts the events its stream readers receive from [inner]; everything else passes through. */
internal class CountingEventStore(private val inner: EventStore) : EventStore by inner {
    val eventsRead = AtomicInteger()

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        inner.readStream(streamId, options).onEach { eventsRead.incrementAndGet() }
}

/** A snapshot store whose every call fails, as one whose server is down. */
internal object FailingSnapshotStore : SnapshotStore {
    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? =
        throw StoreException("read snapshot", aggregateId, "snapshot server down (TCK fake)", null)

    override suspend fun write(snapshot: Snapshot): Unit =
        throw StoreException("write snapshot", snapshot.aggregateId, "snapshot server down (TCK fake)", null)
}

/** A cache whose every call fails, as one whose server is down. */
internal class FailingCache<S> : AggregateCache<S> {
    override suspend fun get(id: TypeId): CachedState<S>? = throw StoreException("cache get", id, "cache server down (TCK fake)", null)

    override suspend fun put(id: TypeId, version: Long, state: S): Unit =
        throw StoreException("cache put", id, "cache server down (TCK fake)", null)

    override suspend fun invalidate(id: TypeId): Unit = throw StoreException("cache invalidate", id, "cache server down (TCK fake)", null)
}
