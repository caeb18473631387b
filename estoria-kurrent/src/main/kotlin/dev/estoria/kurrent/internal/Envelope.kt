package dev.estoria.kurrent.internal

import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.id.TypeName
import io.kurrent.dbclient.EventData
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonObject

/**
 * The envelope: KurrentDB stores an event's id (a UUID), type, data, a JSON/binary flag and metadata
 * bytes, but has no field for an arbitrary content type, so the content type and the metadata travel as
 * one JSON object in the metadata bytes (the client requires metadata to be a JSON object):
 * `{"estoria.v":"1","estoria.contentType":"…", …the user's keys…}`. User keys cannot start with
 * `estoria.` (reserved), so they never clash, and other KurrentDB tools see them as ordinary metadata.
 * The event id `type_uuid` is the KurrentDB event type plus its event id.
 */
internal object Envelope {
    private const val VERSION_KEY = "estoria.v"
    private const val CONTENT_TYPE_KEY = "estoria.contentType"
    private const val VERSION = "1"
    private const val JSON_CONTENT_TYPE = "application/json"

    /** The client's event for [event]. */
    fun encode(event: WritableEvent): EventData {
        val fields = LinkedHashMap<String, JsonPrimitive>()
        fields[VERSION_KEY] = JsonPrimitive(VERSION)
        fields[CONTENT_TYPE_KEY] = JsonPrimitive(event.contentType)
        for ((k, v) in event.metadata) fields[k] = JsonPrimitive(v)
        val metadata = JsonObject(fields).toString().encodeToByteArray()
        val builder = if (event.contentType == JSON_CONTENT_TYPE) {
            EventData.builderAsJson(event.id.uuid, event.type, event.data)
        } else {
            EventData.builderAsBinary(event.id.uuid, event.type, event.data)
        }
        return builder.metadataAsBytes(metadata).build()
    }

    /**
     * The stored event of [record] in [streamId]. A record that Estoria cannot have written (no
     * envelope, an event type that is no type name) is stored data that cannot be read: [StoreException],
     * never the caller's fault.
     */
    fun decode(record: KurrentRecord, streamId: TypeId): Event {
        fun corrupt(why: String, cause: Throwable? = null): Nothing =
            throw StoreException("read", streamId, "event ${record.eventId} at ${record.stream}@${record.revision} cannot be read: $why", cause)
        if (!TypeName.isValid(record.eventType)) corrupt("event type '${record.eventType}' is not a type name")
        val envelope = try {
            Json.parseToJsonElement(record.metadata.decodeToString()).jsonObject
        } catch (e: IllegalArgumentException) {
            corrupt("its metadata is not a JSON object", e)
        }
        if ((envelope[VERSION_KEY] as? JsonPrimitive)?.contentOrNull != VERSION) corrupt("no Estoria envelope in its metadata")
        val contentType = (envelope[CONTENT_TYPE_KEY] as? JsonPrimitive)?.takeIf { it.isString }?.content
            ?: corrupt("the envelope has no content type")
        val metadata = LinkedHashMap<String, String>()
        for ((k, v) in envelope) {
            if (k == VERSION_KEY || k == CONTENT_TYPE_KEY) continue
            val value = (v as? JsonPrimitive)?.takeIf { it.isString }?.content ?: corrupt("metadata '$k' is not a string")
            metadata[k] = value
        }
        return Event(
            TypeId(record.eventType, record.eventId), streamId, record.revision + 1, record.commitPosition,
            record.created, record.data, contentType, metadata,
        )
    }
}
