package dev.estoria.java

import com.fasterxml.jackson.annotation.JsonAutoDetect
import com.fasterxml.jackson.annotation.PropertyAccessor
import com.fasterxml.jackson.core.type.TypeReference
import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.JavaType
import com.fasterxml.jackson.databind.JsonMappingException
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.SerializationFeature
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext
import com.fasterxml.jackson.databind.deser.impl.TypeWrappedDeserializer
import com.fasterxml.jackson.databind.json.JsonMapper
import dev.estoria.codec.Codec

/**
 * A JSON [Codec] on Jackson (jackson-databind 2.12 or later, an optional dependency of this module) for
 * Java records and POJOs with no annotations.
 *
 * The default mapper ([defaultMapper]):
 * - reads records through their canonical constructor (Jackson >= 2.12);
 * - sees private fields, so a POJO with a no-argument constructor needs neither getters, setters nor
 *   annotations;
 * - ignores unknown properties, so old readers tolerate fields added to an event later (as the Kotlin
 *   JSON codec does);
 * - registers every Jackson module found on the class path (`findAndAddModules`), e.g.
 *   jackson-datatype-jsr310 for `java.time` fields.
 *
 * Content type: `application/json`. Encoding or decoding errors are wrapped by Estoria into
 * [dev.estoria.error.CodecException] with Jackson's exception as the cause.
 */
public class JacksonCodec<T> private constructor(
    private val mapper: ObjectMapper,
    private val type: JavaType,
) : Codec<T> {

    override val contentType: String get() = CONTENT_TYPE

    override fun encode(value: T): ByteArray = mapper.writeValueAsBytes(value)

    override fun decode(data: ByteArray): T = mapper.readValue(data, type)

    override fun toString(): String = "JacksonCodec($type)"

    /**
     * Why this codec's mapper could write values of its type but never read them back, or `null` when it
     * can: a bean with no no-argument constructor and no creator Jackson can use (an immutable class
     * with an all-args constructor and no `@JsonCreator`), or a type Jackson cannot build a reader for.
     * Checked without reading anything and without calling constructors.
     */
    internal fun unreadableReason(): String? {
        val context = (mapper.deserializationContext as? DefaultDeserializationContext)
            ?.createDummyInstance(mapper.deserializationConfig) ?: return null
        val found = try {
            context.findRootValueDeserializer(type)
        } catch (e: JsonMappingException) {
            return "Jackson cannot build a reader for it (${e.originalMessage})"
        }
        val deserializer = (found as? TypeWrappedDeserializer)?.delegatee ?: found
        if (deserializer is BeanDeserializerBase && !deserializer.valueInstantiator.canInstantiate()) {
            return "Jackson can write it but not read it back: it has no no-argument constructor and no creator. " +
                "Add a no-argument constructor (it may be private), or annotate the constructor with @JsonCreator " +
                "and its parameters with @JsonProperty (or compile with -parameters and register " +
                "jackson-module-parameter-names), or make it a record"
        }
        return null
    }

    /** Factories. */
    public companion object {
        /** `application/json`. */
        public const val CONTENT_TYPE: String = "application/json"

        private val DEFAULT_MAPPER: ObjectMapper by lazy { defaultMapper() }

        /** A codec for [type] on the shared default mapper. */
        @JvmStatic
        public fun <T> of(type: Class<T>): JacksonCodec<T> = of(type, DEFAULT_MAPPER)

        /** A codec for [type] on [mapper]. */
        @JvmStatic
        public fun <T> of(type: Class<T>, mapper: ObjectMapper): JacksonCodec<T> =
            JacksonCodec(mapper, mapper.constructType(type))

        /** A codec for the generic [type] (e.g. `new TypeReference<List<Line>>() {}`) on [mapper]. */
        @JvmStatic
        @JvmOverloads
        public fun <T> of(type: TypeReference<T>, mapper: ObjectMapper = DEFAULT_MAPPER): JacksonCodec<T> =
            JacksonCodec(mapper, mapper.typeFactory.constructType(type))

        /** A new mapper configured as described on [JacksonCodec]; customise it and pass it to [of] or [provider]. */
        @JvmStatic
        public fun defaultMapper(): ObjectMapper =
            JsonMapper.builder()
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .findAndAddModules()
                .build()

        /** A [CodecProvider] of Jackson codecs on the shared default mapper. */
        @JvmStatic
        public fun provider(): CodecProvider = provider(DEFAULT_MAPPER)

        /** A [CodecProvider] of Jackson codecs on [mapper]. */
        @JvmStatic
        public fun provider(mapper: ObjectMapper): CodecProvider = object : CodecProvider {
            override fun <T : Any> codecFor(type: Class<T>): Codec<T> = of(type, mapper)

            override fun toString(): String = "JacksonCodec.provider($mapper)"
        }
    }
}
