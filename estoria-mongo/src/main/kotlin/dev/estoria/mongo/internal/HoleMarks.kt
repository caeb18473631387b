package dev.estoria.mongo.internal

import com.mongodb.MongoException
import com.mongodb.client.model.Filters
import com.mongodb.kotlin.client.coroutine.MongoCollection
import kotlinx.coroutines.flow.firstOrNull
import org.bson.BsonDocument

/**
 * Markers that close positions no event will fill. The unique `_id` (first position) of an events
 * collection decides every race: a marker and a writer's document for the same position cannot both be
 * stored, so exactly one of them wins.
 *
 * - An owner (a writer whose insert failed, or a delete) marks its own positions in its own collection:
 *   `{_id: p, lp: last, m: "w"}`; if a reader already marked `p`, it continues after that marker.
 * - A reader that waited for a stalled writer marks one position, `{_id: p, lp: p, m: "r"}`, in **every**
 *   events collection registered with the frontier (one of them is the writer's); the position counts as
 *   skipped only once every one of them holds a document there and none is an event.
 */
internal class HoleMarks {
    suspend fun exists(collection: MongoCollection<BsonDocument>, position: Long): Boolean = at(collection, position) != null

    suspend fun at(collection: MongoCollection<BsonDocument>, position: Long): BsonDocument? =
        collection.find(Filters.eq(BatchDocuments.ID, position)).firstOrNull()

    /** Closes [first]..[last], positions this writer reserved and did not (or no longer does) hold events at. */
    suspend fun markOwn(collection: MongoCollection<BsonDocument>, first: Long, last: Long) {
        var p = first
        while (p <= last) {
            if (insert(collection, BatchDocuments.marker(p, last, BatchDocuments.MARK_OWNER))) return
            p = at(collection, p)?.let { BatchDocuments.lastPosition(it) + 1 } ?: p
        }
    }

    /** A reader's marker at [position] in each of [collections]; a document already there wins. */
    suspend fun markReader(collections: List<MongoCollection<BsonDocument>>, position: Long) {
        for (collection in collections) insert(collection, BatchDocuments.marker(position, position, BatchDocuments.MARK_READER))
    }

    /** Whether [doc] was inserted; `false` when a document already holds its position. */
    private suspend fun insert(collection: MongoCollection<BsonDocument>, doc: BsonDocument): Boolean =
        try {
            collection.insertOne(doc)
            true
        } catch (e: MongoException) {
            if (!MongoErrors.isDuplicateKey(e)) throw e
            false
        }
}
