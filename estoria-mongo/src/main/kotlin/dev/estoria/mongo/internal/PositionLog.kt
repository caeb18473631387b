package dev.estoria.mongo.internal

import com.mongodb.client.model.Filters
import com.mongodb.client.model.FindOneAndUpdateOptions
import com.mongodb.client.model.ReturnDocument
import com.mongodb.client.model.Updates
import com.mongodb.kotlin.client.coroutine.MongoCollection
import dev.estoria.error.StoreException
import kotlinx.coroutines.flow.firstOrNull
import org.bson.BsonArray
import org.bson.BsonDocument
import org.bson.BsonString

/**
 * The store's one position counter, `{ _id: "log", n: lastReserved, c: [events collections] }` in the
 * positions collection. [reserve] takes the next positions with one atomic `findOneAndUpdate` (`$inc`,
 * upsert), and registers the writer's collection in the same update (`$addToSet`): a reader that sees a
 * position reserved therefore also sees the collection it will be written to, which is where a marker
 * must go to close the position if the writer stalls.
 */
internal class PositionLog(private val positions: MongoCollection<BsonDocument>) {
    /** The last reserved position and the collections registered with it, as of one read. */
    class Frontier(val last: Long, val collections: List<String>) {
        override fun toString(): String = "Frontier($last, $collections)"
    }

    /** Reserves [count] consecutive positions for a write into [collection]; returns the first. */
    suspend fun reserve(count: Int, collection: String): Long {
        val update = Updates.combine(Updates.inc(COUNT, count.toLong()), Updates.addToSet(COLLECTIONS, collection))
        val options = FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)
        repeat(2) {
            try {
                val doc = positions.findOneAndUpdate(Filters.eq(ID, LOG), update, options)
                    ?: throw StoreException("reserve", null, "the position counter returned no document", null)
                return BatchDocuments.long(doc, COUNT) - count + 1
            } catch (e: com.mongodb.MongoException) {
                // two first-ever upserts raced: the loser's insert hit _id; the counter exists now
                if (!MongoErrors.isDuplicateKey(e) && e.code != DUPLICATE_KEY) throw e
            }
        }
        throw StoreException("reserve", null, "the position counter could not be created", null)
    }

    /** The current frontier (one read). */
    suspend fun frontier(): Frontier {
        val doc = positions.find(Filters.eq(ID, LOG)).firstOrNull() ?: return Frontier(0, emptyList())
        val names = (doc[COLLECTIONS] as? BsonArray)?.mapNotNull { (it as? BsonString)?.value } ?: emptyList()
        return Frontier(BatchDocuments.long(doc, COUNT), names.sorted())
    }

    private companion object {
        const val ID = "_id"
        const val LOG = "log"
        const val COUNT = "n"
        const val COLLECTIONS = "c"
        const val DUPLICATE_KEY = 11000
    }
}
