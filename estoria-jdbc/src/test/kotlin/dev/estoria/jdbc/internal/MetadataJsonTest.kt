package dev.estoria.jdbc.internal

import kotlinx.serialization.builtins.MapSerializer
import kotlinx.serialization.builtins.serializer
import kotlinx.serialization.json.Json
import org.junit.jupiter.api.Test
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * The direct metadata codec writes and reads exactly what kotlinx.serialization does: the same text for
 * every map, the same map for every text it accepts, and a failure for every text kotlinx refuses.
 */
class MetadataJsonTest {
    private val serializer = MapSerializer(String.serializer(), String.serializer())

    private fun reference(map: Map<String, String>): String = if (map.isEmpty()) "{}" else Json.encodeToString(serializer, map)

    private fun roundTrips(map: Map<String, String>) {
        val text = MetadataJson.encode(map)
        assertEquals(reference(map), text, "encoding $map")
        assertEquals(map, MetadataJson.decode(text), "decoding $text")
        assertEquals(map.keys.toList(), MetadataJson.decode(text).keys.toList(), "key order of $text")
    }

    @Test
    fun `every character round-trips as kotlinx writes it`() {
        for (c in 0..0xFFFF) {
            val ch = c.toChar()
            roundTrips(mapOf("k$ch" to "v${ch}w", "plain" to "$ch"))
        }
    }

    @Test
    fun `seeded random maps round-trip`() {
        val random = Random(14)
        val alphabet = "abcXYZ09 _-:,{}[]\"\\/\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00"
        repeat(2_000) {
            val map = LinkedHashMap<String, String>()
            repeat(random.nextInt(0, 6)) {
                fun text() = String(CharArray(random.nextInt(0, 12)) { alphabet[random.nextInt(alphabet.length)] })
                map[text()] = text()
            }
            roundTrips(map)
        }
    }

    @Test
    fun `texts kotlinx accepts decode to the same map`() {
        val texts = listOf(
            """{"a":"b"}""", """{"":""}""", """{"a":"b","a":"c"}""", """{ "a" : "b" }""", """{"a":"b" ,"c":"d"}""",
            """{"a":"\u0041\n"}""", """{"a":"}{,:"}""", """{"k":"v","k2":"v2","k3":""}""", "{}",
        )
        for (text in texts) assertEquals(Json.decodeFromString(serializer, text), MetadataJson.decode(text), text)
    }

    @Test
    fun `texts kotlinx refuses are refused`() {
        val texts = listOf(
            "", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\"", "{\"a\":\"b\",}", "{\"a\":\"b\"}}", "{\"a\":\"b\"}x",
            "{\"a\":\"b\",\"c\"}", "{\"a\":\"b\"\"c\":\"d\"}", "{\"a\"\"b\"}", "[\"a\"]", "{\"a\":\"b\";\"c\":\"d\"}",
            "{\"a\":\"b}", "{\"a\":\"b\",\"\"}", "{,\"a\":\"b\"}", "{\"a\":\"b\",,\"c\":\"d\"}",
        )
        for (text in texts) {
            assertFailsWith<Exception>("kotlinx accepts $text") { Json.decodeFromString(serializer, text) }
            assertFailsWith<Exception>(text) { MetadataJson.decode(text) }
        }
    }
}
