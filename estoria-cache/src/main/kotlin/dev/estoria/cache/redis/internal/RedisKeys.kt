package dev.estoria.cache.redis.internal

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId

/**
 * Keys `<prefix>{<type>_<uuid>}<suffix>`: the aggregate id is the cluster hash tag, so every key of
 * one aggregate maps to one slot, and aggregate types never share a key.
 */
internal class RedisKeys(private val prefix: String) {
    init {
        if (prefix.contains('{') || prefix.contains('}')) throw InvalidInputException("key prefix must not contain '{' or '}': $prefix")
    }

    fun of(id: TypeId, suffix: String = ""): ByteArray = "$prefix{$id}$suffix".toByteArray(Charsets.UTF_8)
}
