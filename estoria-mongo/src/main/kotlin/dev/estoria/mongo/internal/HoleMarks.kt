package dev.estoria.mongo.internal

import com.mongodb.MongoException
import com.mongodb.client.model.Filters
import com.mongodb.kotlin.client.coroutine.MongoCollection
import kotlinx.coroutines.flow.firstOrNull
import org.bson.BsonDocument

/**
 * Markers that close positions no event will fill. Every document lists the positions it covers under
 * the unique `ps` index, so a marker and a writer's document that share any position cannot both be
 * stored: exactly one of them wins, and no position is ever in two documents of a collection.
 *
 * - An owner (a writer whose insert was refused for another reason, or a delete) marks its own positions
 *   in its own collection: `{m: "w"}`. If that collides, a reader has already closed them.
 * - A reader that waited for a stalled writer marks the whole gap it waited on, `{m: "r"}`, in **every**
 *   events collection registered with the frontier (one of them is the writer's): a position counts as
 *   skipped once every collection covers it (or an event or owner's marker does).
 */
internal class HoleMarks {
    /** Whether a document of [collection] covers any position of [first]..[last]. */
    suspend fun anyCovered(collection: MongoCollection<BsonDocument>, first: Long, last: Long): Boolean =
        collection.find(Filters.and(Filters.lte(BatchDocuments.ID, last), Filters.gte(BatchDocuments.LAST_POSITION, first)))
            .limit(1).firstOrNull() != null

    /** Closes [first]..[last], positions this writer reserved and did not fill. */
    suspend fun markOwn(collection: MongoCollection<BsonDocument>, first: Long, last: Long) {
        insert(collection, BatchDocuments.marker(first, last, BatchDocuments.MARK_OWNER))
    }

    /** A reader's marker over [first]..[last] in each of [collections]; a document already covering one of them wins there. */
    suspend fun markReader(collections: List<MongoCollection<BsonDocument>>, first: Long, last: Long) {
        for (collection in collections) insert(collection, BatchDocuments.marker(first, last, BatchDocuments.MARK_READER))
    }

    /** Whether [doc] was inserted; `false` when a document already holds one of its positions. */
    private suspend fun insert(collection: MongoCollection<BsonDocument>, doc: BsonDocument): Boolean =
        try {
            collection.insertOne(doc)
            true
        } catch (e: MongoException) {
            if (!MongoErrors.isDuplicateKey(e)) throw e
            false
        }
}
