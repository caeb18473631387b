@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.mongo.internal

import dev.estoria.eventstore.kernel.DeleteArguments
import com.mongodb.client.model.Filters
import com.mongodb.client.model.Sorts
import com.mongodb.client.model.Updates
import com.mongodb.kotlin.client.coroutine.MongoCollection
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.toList
import org.bson.BsonArray
import org.bson.BsonDocument
import org.bson.BsonInt32
import org.bson.conversions.Bson

/**
 * Delete and truncate. Removed documents are not deleted but turned into owner markers (their position
 * fields stay), so the global order keeps no hole where they were and readers never wait for them:
 *
 * - delete: every document of the stream loses its stream, version, ids and events; the id is free, a new
 *   stream starts at version 1; the stream's snapshots are deleted from [snapshots] (the snapshot
 *   collection of the same database);
 * - truncate to `n`: documents wholly at or below `n` become markers, except the newest one, which keeps
 *   the stream's version with its events removed; a document holding `n` keeps its later events (`o`
 *   counts the events removed from its front). Later versions keep their numbers.
 *
 * Not atomic with appends to the same stream: an append that read the head before a delete may still land,
 * continuing the old numbering.
 */
internal class StreamDeletion(
    private val collections: EventCollections,
    private val snapshots: MongoCollection<BsonDocument>,
) {
    suspend fun delete(streamId: TypeId, toVersion: Long?) {
        DeleteArguments.checkToVersion(toVersion)
        MongoErrors.run("delete", streamId) {
            val collection = collections.plain(collections.names.events(streamId.type))
            val stream = Filters.eq(BatchDocuments.STREAM, streamId.toString())
            val head = collection.find(stream).sort(Sorts.descending(BatchDocuments.VERSION)).limit(1).firstOrNull()
                ?: throw StreamNotFoundException(streamId)
            if (toVersion == null) {
                collection.updateMany(stream, TO_MARKER)
                snapshots.deleteMany(Filters.eq("a", streamId.toString()))
                return@run
            }
            val headId = head[BatchDocuments.ID]
            collection.updateMany(
                Filters.and(stream, Filters.lte(BatchDocuments.LAST_VERSION, toVersion), Filters.ne(BatchDocuments.ID, headId)),
                TO_MARKER,
            )
            val holding = Filters.and(Filters.lte(BatchDocuments.VERSION, toVersion), Filters.gte(BatchDocuments.LAST_VERSION, toVersion))
            val straddling = collection.find(Filters.and(stream, Filters.or(holding, Filters.eq(BatchDocuments.ID, headId)))).toList()
            for (doc in straddling) removeFront(collection, doc, toVersion)
        }
    }

    /** Removes the events at versions <= [toVersion] from [doc], keeping the document (and its version fields). */
    private suspend fun removeFront(collection: MongoCollection<BsonDocument>, doc: BsonDocument, toVersion: Long) {
        val offset = (doc[BatchDocuments.OFFSET] as? BsonInt32)?.value ?: 0
        val firstKept = BatchDocuments.long(doc, BatchDocuments.VERSION) + offset
        val ids = doc.getArray(BatchDocuments.IDS, BsonArray())
        val events = doc.getArray(BatchDocuments.EVENTS)
        val drop = (toVersion - firstKept + 1).coerceAtMost(events.size.toLong()).toInt()
        if (drop <= 0) return
        val keptIds = BsonArray(ids.drop(drop))
        val update = Updates.combine(
            Updates.set(BatchDocuments.EVENTS, BsonArray(events.drop(drop))),
            Updates.set(BatchDocuments.OFFSET, offset + drop),
            if (keptIds.isEmpty()) Updates.unset(BatchDocuments.IDS) else Updates.set(BatchDocuments.IDS, keptIds),
        )
        collection.updateOne(Filters.eq(BatchDocuments.ID, doc[BatchDocuments.ID]), update)
    }

    private companion object {
        val TO_MARKER: Bson = Updates.combine(
            Updates.unset(BatchDocuments.STREAM),
            Updates.unset(BatchDocuments.VERSION),
            Updates.unset(BatchDocuments.LAST_VERSION),
            Updates.unset(BatchDocuments.OFFSET),
            Updates.unset(BatchDocuments.TIME),
            Updates.unset(BatchDocuments.IDS),
            Updates.unset(BatchDocuments.EVENTS),
            Updates.set(BatchDocuments.MARK, BatchDocuments.MARK_OWNER),
        )
    }
}
