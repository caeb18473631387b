package dev.estoria.mongo

import com.mongodb.MongoException
import com.mongodb.client.model.Filters
import com.mongodb.client.model.ReplaceOptions
import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.error.StoreException
import dev.estoria.mongo.internal.CollectionNames
import dev.estoria.mongo.internal.MongoErrors
import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.CheckpointStore
import kotlinx.coroutines.flow.firstOrNull
import org.bson.BsonDocument
import org.bson.BsonInt64
import org.bson.BsonString

/**
 * Checkpoints in the `<prefix>checkpoints` collection of [database], one document per name
 * (`{_id: name, p: position}`; `_id` is the only index). A save replaces the position.
 *
 * TCK: `CheckpointStoreSuite`.
 */
public class MongoCheckpointStore @JvmOverloads constructor(
    database: MongoDatabase,
    options: MongoStoreOptions = MongoStoreOptions.DEFAULT,
) : CheckpointStore {
    private val collection = database.getCollection(CollectionNames(database.name, options).checkpoints, BsonDocument::class.java)

    override suspend fun load(name: String): Long? {
        CheckpointNames.validate(name)
        return MongoErrors.run("loadCheckpoint", null) {
            val doc = collection.find(Filters.eq(ID, name)).firstOrNull() ?: return@run null
            (doc[POSITION] as? BsonInt64)?.value
                ?: throw StoreException("loadCheckpoint", null, "unreadable checkpoint '$name': ${doc[POSITION]}", null)
        }
    }

    override suspend fun save(name: String, position: Long) {
        CheckpointNames.validate(name, position)
        MongoErrors.run("saveCheckpoint", null) {
            val doc = BsonDocument(ID, BsonString(name)).append(POSITION, BsonInt64(position))
            try {
                collection.replaceOne(Filters.eq(ID, name), doc, ReplaceOptions().upsert(true))
            } catch (e: MongoException) {
                if (!MongoErrors.isDuplicateKey(e)) throw e
                collection.replaceOne(Filters.eq(ID, name), doc) // a concurrent first save inserted it
            }
        }
    }

    override suspend fun delete(name: String) {
        CheckpointNames.validate(name)
        MongoErrors.run("deleteCheckpoint", null) { collection.deleteOne(Filters.eq(ID, name)) }
    }

    override fun toString(): String = "MongoCheckpointStore(${collection.namespace.fullName})"

    private companion object {
        const val ID = "_id"
        const val POSITION = "p"
    }
}
