package dev.estoria.mongo.internal

import dev.estoria.error.InvalidInputException
import dev.estoria.mongo.MongoLayout
import dev.estoria.mongo.MongoStoreOptions

/**
 * The collection names of a store, checked once: the prefix is `[A-Za-z_][A-Za-z0-9_]*` (so no `$`, no
 * `.`, no NUL, nothing that could name another namespace), never starts with `system`; the database name
 * has at most 63 characters and none MongoDB forbids, and every name fits the 255-byte namespace limit.
 */
internal class CollectionNames(databaseName: String, options: MongoStoreOptions) {
    private val prefix = options.collectionPrefix
    private val perType = options.layout == MongoLayout.COLLECTION_PER_TYPE

    val positions: String = prefix + "positions"
    val snapshots: String = prefix + "snapshots"
    val checkpoints: String = prefix + "checkpoints"
    val singleEvents: String = prefix + "events"

    init {
        if (databaseName.isEmpty() || databaseName.length > MAX_DATABASE || databaseName.any { it in FORBIDDEN_IN_DATABASE }) {
            throw InvalidInputException("invalid MongoDB database name '$databaseName': 1-$MAX_DATABASE characters, none of /\\. \"\$*<>:|? or NUL")
        }
        // the longest name: a per-type collection of a type name of the longest length
        val longest = databaseName.length + 1 + prefix.length + "events_".length + dev.estoria.id.TypeName.MAX_LENGTH
        if (longest > MAX_NAMESPACE) {
            throw InvalidInputException("database name '$databaseName' with prefix '$prefix' exceeds MongoDB's $MAX_NAMESPACE-byte namespace limit")
        }
    }

    /** The collection holding the streams of [aggregateType] (type names are `[a-z0-9_]`, checked by `TypeId`). */
    fun events(aggregateType: String): String = if (perType) prefix + "events_" + aggregateType else singleEvents

    companion object {
        private const val MAX_NAMESPACE = 255
        private const val MAX_DATABASE = 63
        private val FORBIDDEN_IN_DATABASE = "/\\. \"$*<>:|?\u0000".toSet()
        private val PREFIX = Regex("[A-Za-z_][A-Za-z0-9_]*")

        fun requirePrefix(prefix: String) {
            if (prefix.isEmpty()) return
            if (prefix.length > MongoStoreOptions.MAX_PREFIX_LENGTH || !PREFIX.matches(prefix)) {
                throw InvalidInputException(
                    "invalid collection prefix '$prefix': expected [A-Za-z_][A-Za-z0-9_]*, at most ${MongoStoreOptions.MAX_PREFIX_LENGTH} characters",
                )
            }
            if (prefix.startsWith("system")) throw InvalidInputException("collection prefix '$prefix' would name system collections")
        }
    }
}
