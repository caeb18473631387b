package dev.estoria.event

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.id.TypeName

/**
 * An event to append. Build one with [WritableEvent.of] or [WritableEvent.builder].
 *
 * - [id]: the event id; its type is the event type. Give the same id when retrying an append and the
 *   store returns the original result instead of writing twice. Default: a new UUIDv7 id of [type].
 * - [contentType]: default `application/json`; any storable string ([StoredText]: no lone surrogate,
 *   no NUL), including empty, round-trips exactly.
 * - [metadata]: default empty; keys starting with `estoria.` are reserved and rejected; keys and values
 *   must be storable ([StoredText]).
 *
 * Text that could not round-trip is refused here, with [InvalidInputException], so every backend (the
 * in-memory store included) refuses it the same way before anything is written.
 *
 * The payload is copied on construction, so later changes to the caller's array have no effect.
 */
public class WritableEvent private constructor(
    public val id: TypeId,
    data: ByteArray,
    public val contentType: String,
    metadata: Map<String, String>,
    trusted: Boolean = false,
) {
    init {
        StoredText.requireStorable("content type", contentType)
    }

    private val bytes: ByteArray = data.copyOf()

    /** The event type name (`id.type`). */
    public val type: String get() = id.type

    /** A copy of the payload bytes. */
    public val data: ByteArray get() = bytes.copyOf()

    /** The payload size in bytes. */
    public val size: Int get() = bytes.size

    /** Metadata, an immutable copy. */
    public val metadata: Map<String, String> = if (trusted) Metadata.storable(metadata) else Metadata.validate(metadata)

    /** Whether this event has the same id, payload, content type and metadata as the stored [event]. */
    public fun sameContentAs(event: Event): Boolean =
        event.id == id && event.contentType == contentType && event.metadata == metadata && event.dataEquals(bytes)

    /** Internal access to the payload without a copy; never handed to user code. */
    internal fun payload(): ByteArray = bytes

    override fun toString(): String =
        "WritableEvent(id=$id, contentType='$contentType', ${bytes.size} bytes, metadata=$metadata)"

    /** Builder for Java callers and for events with several optional parts. */
    public class Builder internal constructor(private val type: String, private val data: ByteArray) {
        private var id: TypeId? = null
        private var contentType: String = DEFAULT_CONTENT_TYPE
        private val metadata = LinkedHashMap<String, String>()

        /** Sets the event id (its type must equal the event type). Default: a new UUIDv7 id. */
        public fun id(id: TypeId): Builder = apply { this.id = id }

        /** Sets the content type. Default: `application/json`. */
        public fun contentType(contentType: String): Builder = apply { this.contentType = contentType }

        /** Adds one metadata entry. */
        public fun metadata(key: String, value: String): Builder = apply { metadata[key] = value }

        /** Adds metadata entries. */
        public fun metadata(entries: Map<String, String>): Builder = apply { metadata.putAll(entries) }

        /** Builds the event, validating every part. */
        public fun build(): WritableEvent = of(type, data, contentType, metadata, id)
    }

    /** Factories. */
    public companion object {
        /** The default content type. */
        public const val DEFAULT_CONTENT_TYPE: String = "application/json"

        /**
         * Creates an event of [type] carrying [data].
         *
         * @throws InvalidInputException when [type] is not a valid type name, [id]'s type differs from [type],
         *   a metadata key is reserved, or the content type or a metadata key or value holds a lone
         *   surrogate or NUL ([StoredText]).
         */
        @JvmStatic
        @JvmOverloads
        public fun of(
            type: String,
            data: ByteArray,
            contentType: String = DEFAULT_CONTENT_TYPE,
            metadata: Map<String, String> = emptyMap(),
            id: TypeId? = null,
        ): WritableEvent {
            TypeName.validate(type)
            val eventId = id ?: TypeId.new(type)
            if (eventId.type != type) {
                throw InvalidInputException("event id $eventId has type '${eventId.type}' but the event type is '$type'")
            }
            return WritableEvent(eventId, data, contentType, metadata)
        }

        /** An event written by the library itself, whose metadata may use the reserved prefix. */
        internal fun library(type: String, data: ByteArray, contentType: String, metadata: Map<String, String>): WritableEvent =
            WritableEvent(TypeId.new(type), data, contentType, metadata, trusted = true)

        /** Starts a builder for an event of [type] carrying [data]. */
        @JvmStatic
        public fun builder(type: String, data: ByteArray): Builder = Builder(type, data)
    }
}
