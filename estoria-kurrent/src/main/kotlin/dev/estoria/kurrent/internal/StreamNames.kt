package dev.estoria.kurrent.internal

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.id.TypeName

/**
 * Stream naming: a stream id `type_uuid` is the KurrentDB stream `[prefix-]type_uuid`. The prefix
 * follows the type-name rules (no `-`, no `$`), so a name has one reading: a store without a prefix
 * never takes `other-type_uuid` for its own (`other-type` is no type name), and `$`-streams are never
 * Estoria's.
 */
internal class StreamNames(val prefix: String?) {
    init {
        if (prefix != null && !TypeName.isValid(prefix)) {
            throw InvalidInputException(
                "invalid KurrentDB stream prefix '$prefix': expected 1-${TypeName.MAX_LENGTH} characters of " +
                    "[a-z0-9_], starting with a letter and not ending with '_'",
            )
        }
    }

    private val head = prefix?.let { "$it-" } ?: ""

    /** The KurrentDB stream name of [streamId]. */
    fun name(streamId: TypeId): String = head + streamId

    /** The stream id named by [stream], or `null` when the stream is not one of this store's. */
    fun parse(stream: String): TypeId? {
        if (!stream.startsWith(head) || stream.startsWith("$")) return null
        val rest = stream.substring(head.length)
        // a cheap look at the type part first: most foreign names fail here without an exception
        val cut = rest.length - UUID_LENGTH - 1
        if (cut < 1 || rest[cut] != '_' || !TypeName.isValid(rest.substring(0, cut))) return null
        return try {
            TypeId.parse(rest)
        } catch (e: InvalidInputException) {
            null
        }
    }

    private companion object {
        const val UUID_LENGTH = 36
    }
}
