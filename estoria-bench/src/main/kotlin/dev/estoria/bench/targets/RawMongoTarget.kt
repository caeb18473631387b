package dev.estoria.bench.targets

import com.mongodb.MongoWriteException
import com.mongodb.client.model.Filters
import com.mongodb.client.model.IndexOptions
import com.mongodb.client.model.Indexes
import com.mongodb.client.model.Sorts
import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.bench.Payloads
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.firstOrNull
import org.bson.BsonArray
import org.bson.BsonBinary
import org.bson.BsonDateTime
import org.bson.BsonDocument
import org.bson.BsonInt64
import org.bson.BsonString
import java.util.UUID
import java.util.concurrent.atomic.AtomicLong

/**
 * The MongoDB baseline: one document per append in the store's batch shape (`_id` position, stream, first
 * and last version, time, ids, events with data, content type and metadata pairs), a unique (stream,
 * version) index as the compare-and-set (on a duplicate key: find the stream's last version), one sorted
 * `find` per read. No position log, no hole marks.
 */
class RawMongoTarget(database: MongoDatabase) : Target<String> {
    override val role: String = "raw"

    private val collection = database.getCollection("raw_events", BsonDocument::class.java)
    private val position = AtomicLong()

    /** Creates the unique index; call once before the first append. */
    suspend fun prepare() {
        collection.createIndex(Indexes.ascending("s", "v"), IndexOptions().unique(true))
    }

    override fun newStream(): String = "raw_" + UUID.randomUUID()

    override suspend fun append(stream: String, expected: Long, count: Int): Long {
        val first = position.getAndAdd(count.toLong()) + 1
        val events = BsonArray(List(count) { event() })
        val ids = BsonArray(List(count) { BsonString(Payloads.EVENT_TYPE + "_" + UUID.randomUUID()) })
        val doc = BsonDocument()
            .append("_id", BsonInt64(first))
            .append("lp", BsonInt64(first + count - 1))
            .append("s", BsonString(stream))
            .append("v", BsonInt64(expected + 1))
            .append("lv", BsonInt64(expected + count))
            .append("t", BsonDateTime(System.currentTimeMillis()))
            .append("ids", ids)
            .append("e", events)
        try {
            collection.insertOne(doc)
            return expected + count
        } catch (e: MongoWriteException) {
            if (e.error.code != 11000) throw e
            val last = collection.find(Filters.eq("s", stream)).sort(Sorts.descending("v")).limit(1).firstOrNull()
            throw Conflict(last?.getInt64("lv")?.value ?: 0L)
        }
    }

    private fun event(): BsonDocument {
        val pairs = BsonArray(Payloads.metadata.map { (k, v) -> BsonArray(listOf(BsonString(k), BsonString(v))) })
        return BsonDocument().append("d", BsonBinary(Payloads.data)).append("c", BsonString(Payloads.CONTENT_TYPE)).append("m", pairs)
    }

    override suspend fun read(stream: String): Int {
        var n = 0
        collection.find(Filters.eq("s", stream)).sort(Sorts.ascending("v")).collect { doc ->
            val ids = doc.getArray("ids")
            for ((i, e) in doc.getArray("e").withIndex()) {
                val event = e.asDocument()
                ids[i].asString().value
                event.getBinary("d").data
                event.getString("c").value
                event.getArray("m").associate { p -> p.asArray()[0].asString().value to p.asArray()[1].asString().value }
                n++
            }
        }
        return n
    }
}
