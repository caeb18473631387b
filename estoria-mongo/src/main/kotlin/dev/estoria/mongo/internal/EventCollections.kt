package dev.estoria.mongo.internal

import com.mongodb.kotlin.client.coroutine.MongoCollection
import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.mongo.IndexMode
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import org.bson.BsonDocument
import java.util.concurrent.ConcurrentHashMap

/**
 * The events collections of one store, by name: each one's indexes are created (or validated) once per
 * process, before the first write to it.
 */
internal class EventCollections(
    private val database: MongoDatabase,
    val names: CollectionNames,
    private val indexMode: IndexMode,
) {
    private val ready = ConcurrentHashMap<String, MongoCollection<BsonDocument>>()
    private val mutex = Mutex()

    /** The collection of streams of [aggregateType], with its indexes in place. */
    suspend fun forType(aggregateType: String): MongoCollection<BsonDocument> = named(names.events(aggregateType))

    /** The collection [name] (one the position log registered, or the single one), with its indexes in place. */
    suspend fun named(name: String): MongoCollection<BsonDocument> {
        ready[name]?.let { return it }
        return mutex.withLock {
            ready[name] ?: database.getCollection(name, BsonDocument::class.java).also {
                Indexes.apply(indexMode, it, Indexes.events)
                ready[name] = it
            }
        }
    }

    /** The collection [name] without touching indexes (reading and marking). */
    fun plain(name: String): MongoCollection<BsonDocument> = ready[name] ?: database.getCollection(name, BsonDocument::class.java)
}
