package dev.estoria.id

import dev.estoria.error.InvalidInputException
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
public class TypeId private constructor(
    /** The type name; validated by [TypeName.validate]. */
    public val type: String,
    public val uuid: UUID,
    private val text: String,
) : Comparable<TypeId> {

    /**
     * The id of [type] and [uuid].
     *
     * @throws InvalidInputException when [type] is not a valid type name.
     */
    public constructor(type: String, uuid: UUID) : this(TypeName.validate(type), uuid, "${type}_$uuid")

    /** The canonical text form, `type_<canonical-uuid>`. */
    override fun toString(): String = text

    override fun equals(other: Any?): Boolean = other is TypeId && other.text == text

    override fun hashCode(): Int = text.hashCode()

    /** Orders by type name, then by UUID text (UUIDv7 text order is creation order). */
    override fun compareTo(other: TypeId): Int = text.compareTo(other.text)

    /** Factories. */
    public companion object {
        private const val UUID_LENGTH = 36

        /** The value of the lowercase hex digit [c], or -1 when [c] is not one. */
        private fun hexValue(c: Char): Int = when (c) {
            in '0'..'9' -> c - '0'
            in 'a'..'f' -> c - 'a' + 10
            else -> -1
        }

        /**
         * Parses `type_<canonical-uuid>`. The UUID must be in canonical lowercase form.
         *
         * One pass over the UUID's characters both checks its form and computes its bits (the stores parse
         * every event id they read back, so this is on the read path).
         *
         * @throws InvalidInputException when [text] is not exactly the form [toString] produces.
         */
        @JvmStatic
        public fun parse(text: String): TypeId {
            val cut = text.length - UUID_LENGTH
            if (cut < 2 || text[cut - 1] != '_') {
                throw InvalidInputException("malformed type id '$text': expected 'type_<canonical-uuid>'")
            }
            var high = 0L
            var low = 0L
            for (i in 0 until UUID_LENGTH) {
                val c = text[cut + i]
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') throw notCanonical(text, cut)
                    continue
                }
                val digit = hexValue(c)
                if (digit < 0) throw notCanonical(text, cut)
                if (i < 18) high = (high shl 4) or digit.toLong() else low = (low shl 4) or digit.toLong()
            }
            // the text is canonical, so it is the id's text form as it stands
            return TypeId(TypeName.validate(text.substring(0, cut - 1)), UUID(high, low), text)
        }

        private fun notCanonical(text: String, cut: Int) =
            InvalidInputException("malformed type id '$text': '${text.substring(cut)}' is not a canonical lowercase UUID")

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
