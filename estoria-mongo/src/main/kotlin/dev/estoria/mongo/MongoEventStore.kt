package dev.estoria.mongo

import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.EstoriaSpi
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.eventstore.kernel.KernelEventStore
import dev.estoria.eventstore.kernel.PagedReads
import dev.estoria.id.TypeId
import dev.estoria.mongo.internal.AppendProbe
import dev.estoria.mongo.internal.CollectionNames
import dev.estoria.mongo.internal.EventCollections
import dev.estoria.mongo.internal.GlobalLog
import dev.estoria.mongo.internal.HoleMarks
import dev.estoria.mongo.internal.MongoStreamStorage
import dev.estoria.mongo.internal.PositionLog
import dev.estoria.mongo.internal.StreamDeletion
import kotlinx.coroutines.flow.Flow
import org.bson.BsonDocument

/**
 * An event store on MongoDB, correct on a **standalone `mongod`**: it uses no sessions, no transactions
 * and no change streams; a replica set changes nothing. It implements [GlobalReader] and [StreamDeleter]
 * and runs every suite of the kit.
 *
 * - One document per append holds the whole batch, so an append is atomic; a unique `(stream, first
 *   version)` index decides between writers that read the same head (optimistic concurrency), a unique
 *   event-id index makes re-appends idempotent (decided by the shared kernel). A batch over
 *   [MongoStoreOptions.maxBatchBytes] is refused before anything is written.
 * - Global positions come from one counter document (`$inc`), reserved after the stream head was read,
 *   so within a stream positions rise with versions. A reserved position not yet written is a hole;
 *   `readAll` never steps over a hole that may still fill: it waits up to
 *   [MongoStoreOptions.holeTimeout], then inserts a marker that the unique position index arbitrates
 *   against the late writer (which then reserves again).
 * - Delete and truncate turn removed documents into markers; delete also removes the stream's snapshots
 *   from the `<prefix>snapshots` collection of [database] (where [MongoSnapshotStore] keeps them).
 *
 * TCK: `EventStoreSuite`, `GlobalReaderSuite`, `StreamDeleterSuite`; module tests for holes, racing
 * writers, names and sizes.
 */
@OptIn(EstoriaSpi::class)
public class MongoEventStore internal constructor(
    private val database: MongoDatabase,
    private val options: MongoStoreOptions,
    probe: AppendProbe,
) : EventStore, GlobalReader, StreamDeleter {
    /**
     * A store on [database] with [options] (default [MongoStoreOptions.DEFAULT]). Nothing is sent to the
     * server yet: indexes are created or validated (per [MongoStoreOptions.indexMode]) before the first
     * write to each events collection, or now with [ensureIndexes].
     *
     * @throws dev.estoria.error.InvalidInputException when the database name and prefix make invalid names.
     */
    @JvmOverloads
    public constructor(database: MongoDatabase, options: MongoStoreOptions = MongoStoreOptions.DEFAULT) :
        this(database, options, AppendProbe.NONE)

    private val names = CollectionNames(database.name, options)
    private val collections = EventCollections(database, names, options.indexMode)
    private val positions = PositionLog(database.getCollection(names.positions, BsonDocument::class.java))
    private val marks = HoleMarks()
    private val global = GlobalLog(collections, positions, marks, options)
    private val deletion = StreamDeletion(collections, database.getCollection(names.snapshots, BsonDocument::class.java))
    private val kernel = KernelEventStore(MongoStreamStorage(collections, positions, marks, options, probe), options.pageSize)

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        kernel.appendStream(streamId, events, expected)

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = kernel.readStream(streamId, options)

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> =
        PagedReads.global(afterPosition, maxCount, options.pageSize, frontier = { global.frontier() }) { frontier, after, limit ->
            global.readPage(frontier, after, limit)
        }

    override suspend fun headPosition(): Long = global.headPosition()

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        deletion.delete(streamId, toVersion)
    }

    override fun toString(): String = "MongoEventStore(${database.name}, $options)"

    /**
     * Creates (or, with [IndexMode.VALIDATE], checks) the indexes of the single layout's collection now,
     * so a missing index fails at start rather than on the first append. The per-type layout handles a
     * type's collection on its first append.
     *
     * @throws dev.estoria.error.StoreException when the indexes cannot be created or are missing.
     */
    public suspend fun ensureIndexes() {
        if (options.layout == MongoLayout.SINGLE_COLLECTION) collections.named(names.singleEvents)
    }
}
