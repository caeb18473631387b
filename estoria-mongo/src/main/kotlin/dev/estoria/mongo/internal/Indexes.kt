package dev.estoria.mongo.internal

import com.mongodb.client.model.IndexOptions
import com.mongodb.client.model.Indexes as Keys
import com.mongodb.kotlin.client.coroutine.MongoCollection
import dev.estoria.error.StoreException
import dev.estoria.mongo.IndexMode
import kotlinx.coroutines.flow.toList
import org.bson.BsonBoolean
import org.bson.BsonDocument
import org.bson.conversions.Bson

/**
 * The indexes the stores rely on, created ([IndexMode.CREATE]) or checked ([IndexMode.VALIDATE]).
 *
 * An events collection, besides `_id` (the first position of a document):
 * - `estoria_positions` `{ps: 1}` unique (multikey): every position a document covers; decides whether a
 *   writer or a hole marker owns a position, and that no position is ever in two documents;
 * - `estoria_stream_version` `{s: 1, v: 1}` unique, sparse: two writers that read the same stream head
 *   collide here (markers have neither field, so the sparse index skips them);
 * - `estoria_event_ids` `{ids: 1}` unique, sparse (multikey): an event id is stored once;
 * - `estoria_stream_last_version` `{s: 1, lv: 1}`: forward stream reads;
 * - `estoria_last_position` `{lp: 1}`: global reads.
 */
internal object Indexes {
    class Spec(val name: String, val keys: Bson, val unique: Boolean, val sparse: Boolean)

    val events: List<Spec> = listOf(
        Spec("estoria_positions", Keys.ascending(BatchDocuments.POSITIONS), unique = true, sparse = false),
        Spec("estoria_stream_version", Keys.ascending(BatchDocuments.STREAM, BatchDocuments.VERSION), unique = true, sparse = true),
        Spec("estoria_event_ids", Keys.ascending(BatchDocuments.IDS), unique = true, sparse = true),
        Spec("estoria_stream_last_version", Keys.ascending(BatchDocuments.STREAM, BatchDocuments.LAST_VERSION), unique = false, sparse = false),
        Spec("estoria_last_position", Keys.ascending(BatchDocuments.LAST_POSITION), unique = false, sparse = false),
    )

    val snapshots: List<Spec> = listOf(
        Spec("estoria_snapshot_version", Keys.ascending("a", "v"), unique = true, sparse = false),
    )

    /** Applies [mode] to [specs] on [collection]. */
    suspend fun apply(mode: IndexMode, collection: MongoCollection<BsonDocument>, specs: List<Spec>) {
        when (mode) {
            IndexMode.NONE -> Unit
            IndexMode.CREATE -> MongoErrors.run("createIndexes", null) {
                for (spec in specs) collection.createIndex(spec.keys, IndexOptions().name(spec.name).unique(spec.unique).sparse(spec.sparse))
            }
            IndexMode.VALIDATE -> validate(collection, specs)
        }
    }

    private suspend fun validate(collection: MongoCollection<BsonDocument>, specs: List<Spec>) {
        val existing = MongoErrors.run("listIndexes", null) { collection.listIndexes<BsonDocument>().toList() }
        for (spec in specs) {
            val keys = spec.keys.toBsonDocument()
            val found = existing.firstOrNull { it["key"] == keys }
            val ok = found != null && flag(found, "unique") == spec.unique && flag(found, "sparse") == spec.sparse
            if (!ok) {
                throw StoreException(
                    "validateIndexes", null,
                    "collection ${collection.namespace.fullName} lacks index ${spec.name} $keys (unique=${spec.unique}, sparse=${spec.sparse}); " +
                        "create it or use IndexMode.CREATE",
                    null,
                )
            }
        }
    }

    private fun flag(index: BsonDocument, key: String): Boolean = (index[key] as? BsonBoolean)?.value ?: false
}
