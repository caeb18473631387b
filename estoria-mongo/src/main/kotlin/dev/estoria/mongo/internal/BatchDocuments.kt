package dev.estoria.mongo.internal

import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import org.bson.BsonArray
import org.bson.BsonBinary
import org.bson.BsonDateTime
import org.bson.BsonDocument
import org.bson.BsonInt32
import org.bson.BsonInt64
import org.bson.BsonString
import org.bson.BsonValue
import java.time.Instant

/**
 * The documents of an events collection. One document per append ("batch"):
 *
 * ```
 * { _id: firstPosition, lp: lastPosition, ps: [firstPosition … lastPosition], s: streamId, v: firstVersion, lv: lastVersion,
 *   o: eventsRemovedFromTheFront (truncation; absent = 0), t: Date,
 *   ids: [eventId, …], e: [{ d: BinData, c: contentType, m: [[key, value], …] }, …] }
 * ```
 *
 * and markers, which only cover positions: `{ _id: firstPosition, lp: lastPosition, ps: […], m: "w" | "r" }`
 * ("w": written by the position's owner or by a delete, "r": by a reader that waited for a stalled writer).
 * `ps` lists every position the document covers, under a unique (multikey) index: no position can be in
 * two documents, whatever the writers and markers race. Metadata is an array of pairs, so keys with `.`, `$` or NUL round-trip.
 */
internal object BatchDocuments {
    const val ID = "_id"
    const val LAST_POSITION = "lp"
    const val POSITIONS = "ps"
    const val STREAM = "s"
    const val VERSION = "v"
    const val LAST_VERSION = "lv"
    const val OFFSET = "o"
    const val TIME = "t"
    const val IDS = "ids"
    const val EVENTS = "e"
    const val MARK = "m"
    const val MARK_OWNER = "w"
    const val MARK_READER = "r"

    /** Per-event bytes beyond payload, id, content type and metadata text, rounded up generously. */
    private const val EVENT_OVERHEAD = 64
    private const val PAIR_OVERHEAD = 32
    private const val DOCUMENT_OVERHEAD = 256

    /**
     * The batch's size as stored, an upper bound of its BSON size; refuses a batch over [limit] and text
     * that UTF-8 cannot carry (a lone surrogate would come back as `?`).
     */
    fun checkSize(streamId: TypeId, batch: List<WritableEvent>, limit: Int) {
        var total = DOCUMENT_OVERHEAD.toLong() + streamId.toString().length
        for (event in batch) {
            var size = EVENT_OVERHEAD.toLong() + event.id.toString().length + event.size + utf8Length(event.contentType, "content type")
            for ((k, v) in event.metadata) size += PAIR_OVERHEAD + utf8Length(k, "metadata key") + utf8Length(v, "metadata value")
            if (size > limit) throw EventTooLargeException(streamId, event.type, size.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), limit)
            total += size
        }
        if (total > limit) {
            throw InvalidInputException(
                "an append of ${batch.size} events to $streamId takes about $total bytes, over the limit of $limit bytes " +
                    "(one MongoDB document per append); split it into several appends",
            )
        }
    }

    private fun utf8Length(text: String, what: String): Long {
        var bytes = 0L
        var i = 0
        while (i < text.length) {
            val c = text[i]
            when {
                c.code < 0x80 -> bytes += 1
                c.code < 0x800 -> bytes += 2
                Character.isHighSurrogate(c) && i + 1 < text.length && Character.isLowSurrogate(text[i + 1]) -> { bytes += 4; i++ }
                Character.isSurrogate(c) -> throw InvalidInputException("$what contains a lone surrogate at index $i, which UTF-8 (BSON) cannot store")
                else -> bytes += 3
            }
            i++
        }
        return bytes
    }

    fun batch(streamId: TypeId, firstVersion: Long, firstPosition: Long, timestamp: Instant, batch: List<WritableEvent>): BsonDocument {
        val ids = BsonArray(batch.size)
        val events = BsonArray(batch.size)
        for (e in batch) {
            ids.add(BsonString(e.id.toString()))
            val meta = BsonArray(e.metadata.size)
            for ((k, v) in e.metadata) meta.add(BsonArray(listOf(BsonString(k), BsonString(v))))
            events.add(BsonDocument("d", BsonBinary(e.data)).append("c", BsonString(e.contentType)).append("m", meta))
        }
        return BsonDocument(ID, BsonInt64(firstPosition))
            .append(LAST_POSITION, BsonInt64(firstPosition + batch.size - 1))
            .append(POSITIONS, positions(firstPosition, firstPosition + batch.size - 1))
            .append(STREAM, BsonString(streamId.toString()))
            .append(VERSION, BsonInt64(firstVersion))
            .append(LAST_VERSION, BsonInt64(firstVersion + batch.size - 1))
            .append(TIME, BsonDateTime(timestamp.toEpochMilli()))
            .append(IDS, ids)
            .append(EVENTS, events)
    }

    fun marker(first: Long, last: Long, kind: String): BsonDocument =
        BsonDocument(ID, BsonInt64(first)).append(LAST_POSITION, BsonInt64(last))
            .append(POSITIONS, positions(first, last)).append(MARK, BsonString(kind))

    private fun positions(first: Long, last: Long): BsonArray = BsonArray((first..last).map { BsonInt64(it) })

    fun firstPosition(doc: BsonDocument): Long = long(doc, ID)
    fun lastPosition(doc: BsonDocument): Long = long(doc, LAST_POSITION)
    fun isEvents(doc: BsonDocument): Boolean = doc.containsKey(STREAM)
    fun isReaderMark(doc: BsonDocument): Boolean = (doc[MARK] as? BsonString)?.value == MARK_READER

    /** Events and owners' markers settle their positions alone; a reader's marker only with one in every collection. */
    fun settlesAlone(doc: BsonDocument): Boolean = !isReaderMark(doc)

    /** The events a batch document still holds, in version order. */
    fun events(doc: BsonDocument): List<Event> = decode(doc) {
        val streamId = TypeId.parse(string(doc, STREAM))
        val offset = (doc[OFFSET] as? BsonInt32)?.value ?: 0
        val firstVersion = long(doc, VERSION) + offset
        val firstPosition = long(doc, ID) + offset
        val timestamp = Instant.ofEpochMilli((doc[TIME] as BsonDateTime).value)
        val ids = doc.getArray(IDS, BsonArray())
        val events = doc.getArray(EVENTS)
        List(events.size) { i ->
            val e = events[i] as BsonDocument
            val metadata = LinkedHashMap<String, String>()
            for (pair in e.getArray("m")) {
                val kv = pair as BsonArray
                metadata[(kv[0] as BsonString).value] = (kv[1] as BsonString).value
            }
            Event(
                TypeId.parse((ids[i] as BsonString).value), streamId, firstVersion + i, firstPosition + i, timestamp,
                e.getBinary("d").data, e.getString("c").value, metadata,
            )
        }
    }

    fun long(doc: BsonDocument, key: String): Long = when (val v: BsonValue? = doc[key]) {
        is BsonInt64 -> v.value
        is BsonInt32 -> v.value.toLong()
        else -> throw unreadable(doc, "field '$key' is ${v?.bsonType ?: "missing"}", null)
    }

    private fun string(doc: BsonDocument, key: String): String =
        (doc[key] as? BsonString)?.value ?: throw unreadable(doc, "field '$key' is not a string", null)

    private inline fun <T> decode(doc: BsonDocument, block: () -> T): T =
        try {
            block()
        } catch (e: StoreException) {
            throw e
        } catch (e: RuntimeException) {
            throw unreadable(doc, e.toString(), e)
        }

    /** Stored data that cannot be read is never the caller's fault: a [StoreException], not InvalidInput. */
    private fun unreadable(doc: BsonDocument, why: String, cause: Throwable?): StoreException =
        StoreException("read", null, "unreadable event document ${doc[ID]}: $why", cause)
}
