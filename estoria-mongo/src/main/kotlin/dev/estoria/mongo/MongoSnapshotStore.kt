package dev.estoria.mongo

import com.mongodb.MongoException
import com.mongodb.client.model.Filters
import com.mongodb.client.model.ReplaceOptions
import com.mongodb.client.model.Sorts
import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.id.TypeId
import dev.estoria.mongo.internal.CollectionNames
import dev.estoria.mongo.internal.Indexes
import dev.estoria.mongo.internal.MongoErrors
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import org.bson.BsonBinary
import org.bson.BsonDateTime
import org.bson.BsonDocument
import org.bson.BsonInt64
import org.bson.BsonString
import java.time.Instant

/**
 * Snapshots in the `<prefix>snapshots` collection of [database], one document per aggregate and version
 * (`{a: aggregateId, v: version, d: BinData, c: contentType, t: Date, e: lastEventId}`, `e` absent when unknown, unique index `(a, v)`), keeping the
 * newest [keepLast] per aggregate (default `null`: all). Timestamps are stored in milliseconds.
 * [MongoEventStore.delete] of a stream removes its snapshots from this collection.
 *
 * TCK: `SnapshotStoreSuite`.
 */
public class MongoSnapshotStore @JvmOverloads constructor(
    database: MongoDatabase,
    private val options: MongoStoreOptions = MongoStoreOptions.DEFAULT,
    private val keepLast: Int? = null,
) : SnapshotStore {
    init {
        if (keepLast != null && keepLast < 1) throw InvalidInputException("keepLast must be >= 1, was $keepLast")
    }

    private val collection = database.getCollection(CollectionNames(database.name, options).snapshots, BsonDocument::class.java)
    private val indexes = Mutex()
    private var indexed = false

    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? = MongoErrors.run("readSnapshot", aggregateId) {
        val id = Filters.eq(AGGREGATE, aggregateId.toString())
        val filter = if (maxVersion == null) id else Filters.and(id, Filters.lte(VERSION, maxVersion))
        collection.find(filter).sort(Sorts.descending(VERSION)).limit(1).firstOrNull()?.let { decode(aggregateId, it) }
    }

    override suspend fun write(snapshot: Snapshot) {
        MongoErrors.run("writeSnapshot", snapshot.aggregateId) {
            ensureIndexes()
            val key = Filters.and(Filters.eq(AGGREGATE, snapshot.aggregateId.toString()), Filters.eq(VERSION, snapshot.version))
            val doc = BsonDocument(AGGREGATE, BsonString(snapshot.aggregateId.toString()))
                .append(VERSION, BsonInt64(snapshot.version))
                .append(DATA, BsonBinary(snapshot.data))
                .append(CONTENT_TYPE, BsonString(snapshot.contentType))
                .append(TIME, BsonDateTime(snapshot.timestamp.toEpochMilli()))
            snapshot.lastEventId?.let { doc.append(LAST_EVENT, BsonString(it.toString())) }
            try {
                collection.replaceOne(key, doc, ReplaceOptions().upsert(true))
            } catch (e: MongoException) {
                // two upserts of the same (a, v) raced: the other one inserted it; replace it now
                if (!MongoErrors.isDuplicateKey(e)) throw e
                collection.replaceOne(key, doc)
            }
            val limit = keepLast ?: return@run
            val id = Filters.eq(AGGREGATE, snapshot.aggregateId.toString())
            val oldestKept = collection.find(id).sort(Sorts.descending(VERSION)).skip(limit - 1).limit(1).firstOrNull() ?: return@run
            collection.deleteMany(Filters.and(id, Filters.lt(VERSION, oldestKept.getInt64(VERSION).value)))
        }
    }

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) {
        MongoErrors.run("deleteSnapshots", aggregateId) {
            val id = Filters.eq(AGGREGATE, aggregateId.toString())
            collection.deleteMany(if (toVersion == null) id else Filters.and(id, Filters.lte(VERSION, toVersion)))
        }
    }

    private suspend fun ensureIndexes() {
        if (indexed) return
        indexes.withLock {
            if (!indexed) {
                Indexes.apply(options.indexMode, collection, Indexes.snapshots)
                indexed = true
            }
        }
    }

    private fun decode(aggregateId: TypeId, doc: BsonDocument): Snapshot =
        try {
            Snapshot(
                aggregateId, doc.getInt64(VERSION).value, doc.getBinary(DATA).data, doc.getString(CONTENT_TYPE).value,
                Instant.ofEpochMilli(doc.getDateTime(TIME).value),
                // an id that does not parse is an unknown one: the snapshotting layer discards the snapshot
                (doc[LAST_EVENT] as? BsonString)?.let { runCatching { TypeId.parse(it.value) }.getOrNull() },
            )
        } catch (e: RuntimeException) {
            throw StoreException("readSnapshot", aggregateId, "unreadable snapshot document of $aggregateId: $e", e)
        }

    override fun toString(): String = "MongoSnapshotStore(${collection.namespace.fullName}, keepLast=$keepLast)"

    private companion object {
        const val AGGREGATE = "a"
        const val VERSION = "v"
        const val DATA = "d"
        const val CONTENT_TYPE = "c"
        const val TIME = "t"
        const val LAST_EVENT = "e"
    }
}
