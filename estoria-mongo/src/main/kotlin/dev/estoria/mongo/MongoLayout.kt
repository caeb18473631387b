package dev.estoria.mongo

/**
 * Where a [MongoEventStore] keeps its stream documents. Default: [SINGLE_COLLECTION].
 *
 * Both layouts share one position counter, so [dev.estoria.eventstore.GlobalReader.readAll] is one
 * global order over every stream either way.
 */
public enum class MongoLayout {
    /** Every stream in one collection, `<prefix>events`. */
    SINGLE_COLLECTION,

    /**
     * One collection per aggregate type (the stream id's type), `<prefix>events_<type>`, created on the
     * first append of that type. Event ids are unique per collection (an id copied by hand into a stream
     * of another type is not detected); `readAll` queries every collection of the store and merges them.
     */
    COLLECTION_PER_TYPE,
}
