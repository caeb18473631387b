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
 * [close] ends the store: later calls fail with a [dev.estoria.error.StoreException] saying it is closed;
 * closing twice does nothing. A SQLite store checkpoints its WAL on close (`PRAGMA wal_checkpoint(TRUNCATE)`),
 * so the `.db` file alone is then a complete copy; a store from [SqliteEventStore.file] also closes the
 * connections it opened. A store on your own `DataSource` never closes that data source (module test:
 * `SqliteCloseTest`).
 *
 * @property options the options the store was created with.
 */
public sealed class JdbcEventStore(
    internal val engine: EventEngine,
    public val options: JdbcStoreOptions,
    private val owned: AutoCloseable? = null,
) : EventStore, GlobalReader, GlobalFrontier, StreamDeleter, AutoCloseable {

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

    /**
     * Closes the store (blocking; call it at shutdown, after the work using it has finished): SQLite folds
     * its WAL into the database file, a store that opened its own connections closes them. Idempotent.
     *
     * @throws dev.estoria.error.StoreException when the checkpoint fails (the store is closed all the same).
     */
    override fun close(): Unit = engine.close(toString(), owned)
}
