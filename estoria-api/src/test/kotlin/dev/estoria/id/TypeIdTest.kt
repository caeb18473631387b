package dev.estoria.id

import dev.estoria.error.InvalidInputException
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class TypeIdTest {
    @Test
    fun `parse is the exact inverse of toString`() {
        repeat(100) {
            val id = TypeId.new("bank_account")
            assertEquals(id, TypeId.parse(id.toString()))
            assertEquals(id.toString(), TypeId.parse(id.toString()).toString())
        }
        val fixed = TypeId("order", UUID.fromString("0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f"))
        assertEquals("order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f", fixed.toString())
    }

    @Test
    fun `parse computes the UUID the text spells, high bits included`() {
        val uuids = List(1000) { UUID.randomUUID() } + listOf(
            UUID(0L, 0L), UUID(-1L, -1L), UUID(Long.MIN_VALUE, Long.MIN_VALUE), UUID(Long.MAX_VALUE, 1L),
            UUID.fromString("0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f"),
        )
        for (uuid in uuids) {
            val parsed = TypeId.parse("order_$uuid")
            assertEquals(uuid, parsed.uuid)
            assertEquals("order", parsed.type)
        }
    }

    @ParameterizedTest
    @ValueSource(
        strings = [
            "", "order", "order_", "_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f",
            "order_0190F4C2-7A3E-7C4E-9A53-2F1B0C6D8E9F", // upper case is not canonical
            "order_0190f4c27a3e7c4e9a532f1b0c6d8e9f", // no hyphens
            "order-0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f",
            "Order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f",
            "order__0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f", // type ends with '_'
            "1order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f",
            "order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f ",
            " order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f",
            "order_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9",
        ],
    )
    fun `parse rejects anything toString could not have produced`(text: String) {
        assertFailsWith<InvalidInputException> { TypeId.parse(text) }
    }

    @ParameterizedTest
    @ValueSource(strings = ["", "_a", "a_", "A", "bank-account", "1abc", "a b", "ü"])
    fun `invalid type names are refused`(name: String) {
        assertFailsWith<InvalidInputException> { TypeId.new(name) }
        assertTrue(!TypeName.isValid(name))
    }

    @Test
    fun `type names allow inner underscores and digits up to 63 characters`() {
        assertEquals("bank_account_2", TypeId.new("bank_account_2").type)
        TypeId.new("a".repeat(63))
        assertFailsWith<InvalidInputException> { TypeId.new("a".repeat(64)) }
    }

    @Test
    fun `new ids are version 7 UUIDs that increase in creation order`() {
        val generator = IdGenerator.uuidV7()
        val ids = List(10_000) { generator.newUuid() }
        assertTrue(ids.all { it.version() == 7 && it.variant() == 2 })
        assertEquals(ids.map { it.toString() }.sorted(), ids.map { it.toString() })
        assertEquals(ids.size, ids.toSet().size)
    }

    @Test
    fun `UUIDv7 carries the injected clock's milliseconds and stays monotonic when the clock stands still`() {
        val instant = Instant.parse("2026-01-02T03:04:05.678Z")
        val generator = IdGenerator.uuidV7(Clock.fixed(instant, ZoneOffset.UTC))
        val ids = List(5000) { generator.newUuid() }
        assertEquals(instant.toEpochMilli(), ids.first().mostSignificantBits ushr 16)
        assertEquals(ids.map { it.toString() }.sorted(), ids.map { it.toString() })
    }

    @Test
    fun `an injected generator controls new ids`() {
        val uuid = UUID.fromString("00000000-0000-7000-8000-000000000001")
        assertEquals(TypeId("thing", uuid), TypeId.new("thing") { uuid })
    }
}
