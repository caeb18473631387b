package dev.estoria.mongo.internal

import com.mongodb.MongoException
import com.mongodb.client.model.Filters
import com.mongodb.client.model.Projections
import com.mongodb.client.model.Sorts
import com.mongodb.kotlin.client.coroutine.MongoCollection
import dev.estoria.EstoriaSpi
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.kernel.StoredEventRef
import dev.estoria.eventstore.kernel.StreamPageRequest
import dev.estoria.eventstore.kernel.StreamStorage
import dev.estoria.id.TypeId
import dev.estoria.mongo.MongoStoreOptions
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.toList
import org.bson.BsonDocument
import java.time.temporal.ChronoUnit

/**
 * The kernel's four storage operations on MongoDB, without transactions. An append is one document:
 * read the stream's head (its newest document's last version), check the expected version, reserve
 * positions from the [PositionLog] (after reading the head, so within a stream positions rise with
 * versions), insert `{_id: firstPosition, ps: positions, s, v: head + 1, …}`. Two writers that read the same head collide
 * on the unique `(s, v)` index; a reused id collides on the event-id index; both come back as `null` and the
 * kernel decides. A collision on the positions means a reader marked them while this writer stalled (which
 * index was hit is found by querying the positions, never from the error text): the writer reserves again
 * and retries. A writer that does not store its document marks its own positions.
 */
@OptIn(EstoriaSpi::class)
internal class MongoStreamStorage(
    private val collections: EventCollections,
    private val log: PositionLog,
    private val marks: HoleMarks,
    private val options: MongoStoreOptions,
    private val probe: AppendProbe,
) : StreamStorage {

    override suspend fun tryAppend(streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult? {
        BatchDocuments.checkSize(streamId, batch, options.maxBatchBytes)
        val collection = MongoErrors.run("append", streamId) { collections.forType(streamId.type) }
        val head = MongoErrors.run("append", streamId) { head(collection, streamId) }
        val current = head?.let { BatchDocuments.long(it, BatchDocuments.LAST_VERSION) } ?: 0L
        if (!expected.matches(current, head != null)) return null
        val timestamp = options.clock.instant().truncatedTo(ChronoUnit.MILLIS)
        repeat(MAX_MARKED) {
            val first = MongoErrors.run("append", streamId) { log.reserve(batch.size, collection.namespace.collectionName) }
            val last = first + batch.size - 1
            probe.reserved(streamId, first)
            try {
                collection.insertOne(BatchDocuments.batch(streamId, current + 1, first, timestamp, batch))
            } catch (e: MongoException) {
                if (!MongoErrors.isDuplicateKey(e)) {
                    if (MongoErrors.isOutcomeUnknown(e)) throw MongoErrors.insertFailure(streamId, e)
                    runCatching { marks.markOwn(collection, first, last) }.exceptionOrNull()?.let { e.addSuppressed(it) }
                    throw MongoErrors.insertFailure(streamId, e)
                }
                if (MongoErrors.run("append", streamId) { marks.anyCovered(collection, first, last) }) {
                    // a reader waited for this writer, then marked its positions: reserve again
                    return@repeat
                }
                MongoErrors.run("append", streamId) { marks.markOwn(collection, first, last) }
                return null
            }
            val events = batch.mapIndexed { i, e ->
                Event(e.id, streamId, current + 1 + i, first + i, timestamp, e.data, e.contentType, e.metadata)
            }
            return AppendResult(events, current + batch.size)
        }
        throw dev.estoria.error.StoreException(
            "append", streamId, "append to $streamId stalled past the hole timeout $MAX_MARKED times; readers marked its positions", null,
        )
    }

    override suspend fun findStored(ids: List<TypeId>): List<StoredEventRef> = MongoErrors.run("findStored", null) {
        val names = (log.frontier().collections + collections.names.singleEvents).distinct()
        val wanted = ids.map { it.toString() }.toSet()
        names.flatMap { name ->
            collections.plain(name).find(Filters.`in`(BatchDocuments.IDS, wanted)).toList().flatMap { doc ->
                BatchDocuments.events(doc).filter { it.id.toString() in wanted }.map { StoredEventRef(it.id, it.streamId, it.streamVersion) }
            }
        }
    }

    override suspend fun streamVersion(streamId: TypeId): Long? = MongoErrors.run("streamVersion", streamId) {
        head(collections.plain(collections.names.events(streamId.type)), streamId)?.let { BatchDocuments.long(it, BatchDocuments.LAST_VERSION) }
    }

    override suspend fun readStreamPage(streamId: TypeId, request: StreamPageRequest): List<Event> = MongoErrors.run("read", streamId) {
        val collection = collections.plain(collections.names.events(streamId.type))
        val stream = Filters.eq(BatchDocuments.STREAM, streamId.toString())
        // kept versions are dense (truncation removes a prefix): a page of n events needs only the documents
        // holding versions from..from±(n-1), once the first page is clamped to the kept versions
        val requested = request.fromVersion
        val from = when {
            !request.first && requested != null -> requested
            request.forward -> start(collection, streamId, forward = true)?.let { maxOf(it, requested ?: it) }
            else -> start(collection, streamId, forward = false)?.let { minOf(it, requested ?: it) }
        } ?: return@run emptyPage(collection, streamId, request)
        val span = request.limit - 1L
        val find = if (request.forward) {
            collection.find(Filters.and(stream, Filters.gte(BatchDocuments.LAST_VERSION, from), Filters.lte(BatchDocuments.VERSION, from + span)))
                .sort(Sorts.ascending(BatchDocuments.LAST_VERSION))
        } else {
            collection.find(Filters.and(stream, Filters.lte(BatchDocuments.VERSION, from), Filters.gte(BatchDocuments.LAST_VERSION, from - span)))
                .sort(Sorts.descending(BatchDocuments.VERSION))
        }
        val page = ArrayList<Event>(minOf(request.limit, 256))
        find.projection(NO_POSITIONS).toList().forEach { doc ->
            var events = BatchDocuments.events(doc)
            if (!request.forward) events = events.asReversed()
            for (event in events) {
                val inRange = if (request.forward) event.streamVersion >= from else event.streamVersion <= from
                if (inRange && page.size < request.limit) page += event
            }
        }
        if (page.isEmpty() && request.first && head(collection, streamId) == null) throw StreamNotFoundException(streamId)
        page
    }

    /** Where a read without a start begins: the first kept version forward, the last version backward; `null`: no events. */
    private suspend fun start(collection: MongoCollection<BsonDocument>, streamId: TypeId, forward: Boolean): Long? {
        val find = collection.find(Filters.and(Filters.eq(BatchDocuments.STREAM, streamId.toString()), Filters.exists(BatchDocuments.IDS)))
        return if (forward) {
            find.sort(Sorts.ascending(BatchDocuments.LAST_VERSION)).projection(NO_POSITIONS).limit(1).firstOrNull()
                ?.let { BatchDocuments.events(it).firstOrNull()?.streamVersion }
        } else {
            find.sort(Sorts.descending(BatchDocuments.VERSION)).projection(Projections.include(BatchDocuments.LAST_VERSION)).limit(1).firstOrNull()
                ?.let { BatchDocuments.long(it, BatchDocuments.LAST_VERSION) }
        }
    }

    private suspend fun emptyPage(collection: MongoCollection<BsonDocument>, streamId: TypeId, request: StreamPageRequest): List<Event> {
        if (request.first && head(collection, streamId) == null) throw StreamNotFoundException(streamId)
        return emptyList()
    }

    /** The stream's newest document (its last version, first position), or `null`: no stream. */
    private suspend fun head(collection: MongoCollection<BsonDocument>, streamId: TypeId): BsonDocument? =
        collection.find(Filters.eq(BatchDocuments.STREAM, streamId.toString()))
            .sort(Sorts.descending(BatchDocuments.VERSION))
            .projection(Projections.include(BatchDocuments.LAST_VERSION))
            .limit(1)
            .firstOrNull()

    override fun toString(): String = "mongo(${collections.names.singleEvents})"

    private companion object {
        val NO_POSITIONS = Projections.exclude(BatchDocuments.POSITIONS)
        const val MAX_MARKED = 10
    }
}
