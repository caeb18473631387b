package dev.estoria.testkit.layers

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.codec.Codec
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.event.ReadOptions
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.onStart
import java.util.concurrent.atomic.AtomicInteger

/** Counts the stream reads collected from [inner] and the events they receive; everything else passes through. */
internal class CountingEventStore(private val inner: EventStore) : EventStore by inner {
    val eventsRead = AtomicInteger()
    val reads = AtomicInteger()

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        inner.readStream(streamId, options).onStart { reads.incrementAndGet() }.onEach { eventsRead.incrementAndGet() }
}

/** Reads of [inner] with the event at version [lost] of every stream missing, as after a lost row. */
internal class LostVersionEventStore(private val inner: EventStore, private val lost: Long) : EventStore by inner {
    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        inner.readStream(streamId, options).filter { it.streamVersion != lost }
}

/** A state codec that fails with [failure] when encoding, as a user codec with a bug. */
internal class ThrowingStateCodec(private val failure: () -> Throwable) : Codec<TckCounter> {
    override val contentType: String get() = TckCounter.codec.contentType

    override fun encode(value: TckCounter): ByteArray = throw failure()

    override fun decode(data: ByteArray): TckCounter = TckCounter.codec.decode(data)
}

/** A snapshot store whose every call fails, as one whose server is down. */
internal object FailingSnapshotStore : SnapshotStore {
    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? =
        throw StoreException("read snapshot", aggregateId, "snapshot server down (TCK fake)", null)

    override suspend fun write(snapshot: Snapshot): Unit =
        throw StoreException("write snapshot", snapshot.aggregateId, "snapshot server down (TCK fake)", null)

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?): Unit =
        throw StoreException("delete snapshots", aggregateId, "snapshot server down (TCK fake)", null)
}

/** A cache whose every call fails, as one whose server is down. */
internal class FailingCache<S> : AggregateCache<S> {
    override suspend fun get(id: TypeId): CachedState<S>? = throw StoreException("cache get", id, "cache server down (TCK fake)", null)

    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?): Unit =
        throw StoreException("cache put", id, "cache server down (TCK fake)", null)

    override suspend fun invalidate(id: TypeId): Unit = throw StoreException("cache invalidate", id, "cache server down (TCK fake)", null)
}
