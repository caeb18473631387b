package dev.estoria.id

import dev.estoria.error.InvalidInput
import java.util.UUID

/**
 * A typed identifier: a type name plus a UUID, written `type_<canonical-uuid>`
 * (for example `account_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f`).
 *
 * A stream id's type is the aggregate type; an event id's type is the event type.
 * [toString] and [parse] are exact inverses: `TypeId.parse(id.toString()) == id`, and [parse]
 * rejects every string that [toString] could not have produced.
 *
 * Tested by `TypeIdTest` ("parse is the exact inverse of toString").
 *
 * @property uuid the UUID part of the id.
 */
public class TypeId(type: String, public val uuid: UUID) : Comparable<TypeId> {

    /** The type name; validated by [TypeName.validate]. */
    public val type: String = TypeName.validate(type)

    private val text: String = "${this.type}_$uuid"

    /** The canonical text form, `type_<canonical-uuid>`. */
    override fun toString(): String = text

    override fun equals(other: Any?): Boolean = other is TypeId && other.text == text

    override fun hashCode(): Int = text.hashCode()

    /** Orders by type name, then by UUID text (UUIDv7 text order is creation order). */
    override fun compareTo(other: TypeId): Int = text.compareTo(other.text)

    /** Factories. */
    public companion object {
        private const val UUID_LENGTH = 36
        private val CANONICAL_UUID = Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

        /**
         * Parses `type_<canonical-uuid>`. The UUID must be in canonical lowercase form.
         *
         * @throws InvalidInput when [text] is not exactly the form [toString] produces.
         */
        @JvmStatic
        public fun parse(text: String): TypeId {
            if (text.length < UUID_LENGTH + 2 || text[text.length - UUID_LENGTH - 1] != '_') {
                throw InvalidInput("malformed type id '$text': expected 'type_<canonical-uuid>'")
            }
            val typePart = text.substring(0, text.length - UUID_LENGTH - 1)
            val uuidPart = text.substring(text.length - UUID_LENGTH)
            if (!CANONICAL_UUID.matches(uuidPart)) {
                throw InvalidInput("malformed type id '$text': '$uuidPart' is not a canonical lowercase UUID")
            }
            return TypeId(typePart, UUID.fromString(uuidPart))
        }

        /** Creates a new id of [type] with a fresh UUIDv7 from [generator]. */
        @JvmStatic
        @JvmOverloads
        public fun new(type: String, generator: IdGenerator = IdGenerator.uuidV7()): TypeId =
            TypeId(type, generator.newUuid())

        /** [new] under a name Java can call (`new` is a keyword in Java): a new UUIDv7 id of [type]. */
        @JvmStatic
        @JvmOverloads
        public fun create(type: String, generator: IdGenerator = IdGenerator.uuidV7()): TypeId = new(type, generator)
    }
}
