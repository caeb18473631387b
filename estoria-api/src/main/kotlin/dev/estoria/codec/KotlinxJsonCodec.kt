package dev.estoria.codec

import kotlinx.serialization.KSerializer
import kotlinx.serialization.json.Json
import kotlinx.serialization.serializer

/**
 * A [Codec] on kotlinx-serialization JSON. [json] defaults to [DEFAULT_JSON], which ignores unknown
 * keys so that old readers tolerate fields added to events later.
 */
public class KotlinxJsonCodec<T>(
    private val serializer: KSerializer<T>,
    private val json: Json = DEFAULT_JSON,
) : Codec<T> {
    override val contentType: String get() = CONTENT_TYPE

    override fun encode(value: T): ByteArray = json.encodeToString(serializer, value).encodeToByteArray()

    override fun decode(data: ByteArray): T = json.decodeFromString(serializer, data.decodeToString())

    /** Defaults. */
    public companion object {
        /** `application/json`. */
        public const val CONTENT_TYPE: String = "application/json"

        /** JSON that ignores unknown keys and encodes default values. */
        public val DEFAULT_JSON: Json = Json {
            ignoreUnknownKeys = true
            encodeDefaults = true
        }
    }
}

/** A JSON [Codec] for the `@Serializable` type [T]. */
public inline fun <reified T> jsonCodec(json: Json = KotlinxJsonCodec.DEFAULT_JSON): Codec<T> =
    KotlinxJsonCodec(serializer<T>(), json)
