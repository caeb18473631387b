package dev.estoria.testkit.donothing

import dev.estoria.cache.AggregateCache
import dev.estoria.cache.CachedState
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emptyFlow
import java.time.Duration
import java.time.Instant

/** Accepts every call and stores nothing: every suite of the kit must reject it, clause by clause. */
internal class DoNothingEventStore : EventStore, GlobalReader, StreamDeleter {
    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = emptyFlow()
    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion) =
        AppendResult(emptyList(), 0)
    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> = emptyFlow()
    override suspend fun headPosition(): Long = 0
    override suspend fun delete(streamId: TypeId, toVersion: Long?) = Unit
}

internal class DoNothingSnapshotStore : SnapshotStore {
    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? = null
    override suspend fun write(snapshot: Snapshot) = Unit
    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) = Unit
}

internal class DoNothingCache<S> : AggregateCache<S> {
    override suspend fun get(id: TypeId): CachedState<S>? = null
    override suspend fun put(id: TypeId, version: Long, state: S, lastEventId: TypeId?) = Unit
    override suspend fun invalidate(id: TypeId) = Unit
}

internal class DoNothingCheckpointStore : CheckpointStore {
    override suspend fun load(name: String): Long? = null
    override suspend fun save(name: String, position: Long) = Unit
    override suspend fun delete(name: String) = Unit
}

internal class DoNothingLeaseStore : LeaseStore {
    override suspend fun tryAcquire(name: String, owner: String, duration: Duration): Lease? = Lease(name, owner, 1, Instant.MAX)
    override suspend fun renew(lease: Lease, duration: Duration): Lease = lease
    override suspend fun release(lease: Lease) = Unit
    override suspend fun commitCheckpoint(lease: Lease, previous: Long?, position: Long) = Unit
    override suspend fun leases(prefix: String): List<Lease> = emptyList()
    override suspend fun delete(name: String) = Unit
}
