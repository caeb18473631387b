package dev.estoria.jdbc

import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.FrontierStatus
import dev.estoria.eventstore.GlobalFrontier
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.EventEngine
import kotlinx.coroutines.flow.Flow

/**
 * An event store on a JDBC `DataSource`: [PostgresEventStore] or [SqliteEventStore]. Implements
 * [EventStore], [GlobalReader], [GlobalFrontier] and [StreamDeleter] with the semantics of the in-memory reference store
 * (TCK: `EventStoreSuite`, `GlobalReaderSuite`, `StreamDeleterSuite`).
 *
 * Blocking JDBC calls run on [JdbcStoreOptions.dispatcher]; each call borrows a connection for one
 * short statement or transaction. Cancelling the calling coroutine cancels the running statement.
 * Driver failures surface as [dev.estoria.error.StoreException] with the driver exception as cause; a
 * connection lost while an append was in flight surfaces as [dev.estoria.error.AppendOutcomeUnknownException].
 *
 * @property options the options the store was created with.
 */
public sealed class JdbcEventStore(internal val engine: EventEngine, public val options: JdbcStoreOptions) :
    EventStore, GlobalReader, GlobalFrontier, StreamDeleter {

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        engine.append(streamId, events, expected)

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = engine.readStream(streamId, options)

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> = engine.readAll(afterPosition, maxCount)

    override suspend fun headPosition(): Long = engine.headPosition()

    /** PostgreSQL: the holders come from `pg_stat_activity` and `pg_prepared_xacts`; SQLite never lags. */
    override suspend fun frontierStatus(): FrontierStatus = engine.frontierStatus()

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        engine.delete(streamId, toVersion)
    }
}
