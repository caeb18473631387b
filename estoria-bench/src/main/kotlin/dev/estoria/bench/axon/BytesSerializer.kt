package dev.estoria.bench.axon

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.axonframework.messaging.MetaData
import org.axonframework.serialization.ChainingConverter
import org.axonframework.serialization.Converter
import org.axonframework.serialization.SerializedObject
import org.axonframework.serialization.SerializedType
import org.axonframework.serialization.Serializer
import org.axonframework.serialization.SimpleSerializedObject
import org.axonframework.serialization.SimpleSerializedType

/**
 * Axon's side of "the same work": payloads are the benchmark's JSON bytes passed through untouched (as
 * the Estoria store receives them), metadata is the same JSON object of strings. So Axon spends no CPU
 * on an object mapper the store does not have to run either.
 */
object BytesSerializer : Serializer {
    private val converter = ChainingConverter()
    private val metaDataType = MetaData::class.java.name
    private const val BYTES = "bytes"

    override fun <T : Any?> serialize(value: Any?, expectedRepresentation: Class<T>): SerializedObject<T> {
        val (bytes, type) = when (value) {
            is ByteArray -> value to BYTES
            is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to JsonPrimitive(v.toString()) }).toString().encodeToByteArray() to metaDataType
            else -> throw IllegalArgumentException("BytesSerializer takes byte arrays and metadata, not ${value?.javaClass}")
        }
        return SimpleSerializedObject(converter.convert(bytes, ByteArray::class.java, expectedRepresentation), expectedRepresentation, SimpleSerializedType(type, null))
    }

    override fun <T : Any?> canSerializeTo(expectedRepresentation: Class<T>): Boolean = converter.canConvert(ByteArray::class.java, expectedRepresentation)

    @Suppress("UNCHECKED_CAST")
    override fun <S : Any?, T : Any?> deserialize(serializedObject: SerializedObject<S>): T {
        val bytes = converter.convert<ByteArray>(serializedObject.data, serializedObject.contentType, ByteArray::class.java)
        if (serializedObject.type.name != metaDataType) return bytes as T
        val map = Json.parseToJsonElement(bytes.decodeToString()).jsonObject.mapValues { it.value.jsonPrimitive.content }
        return MetaData.from(map) as T
    }

    override fun classForType(type: SerializedType): Class<*> = if (type.name == metaDataType) MetaData::class.java else ByteArray::class.java

    override fun typeForClass(type: Class<*>?): SerializedType =
        SimpleSerializedType(if (type != null && Map::class.java.isAssignableFrom(type)) metaDataType else BYTES, null)

    override fun getConverter(): Converter = converter
}
