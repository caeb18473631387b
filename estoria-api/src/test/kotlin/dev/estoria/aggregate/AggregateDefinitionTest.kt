@file:OptIn(dev.estoria.EstoriaSpi::class)

package dev.estoria.aggregate

import dev.estoria.codec.Codec
import dev.estoria.codec.jsonCodec
import dev.estoria.error.CodecException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.UnknownEventTypeException
import dev.estoria.event.Event
import dev.estoria.id.TypeId
import kotlinx.serialization.Serializable
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class AggregateDefinitionTest {
    @Test
    fun `the DSL registers names, codecs and evolve functions`() {
        assertEquals("account", Account.type)
        assertEquals(listOf("opened", "deposited", "withdrawn"), Account.events.types.map { it.name })
        val aggregate = Account.create()
        aggregate.append(Opened("ada"), Deposited(100), Withdrawn(30))
        assertEquals(AccountState(aggregate.id.toString(), "ada", 70), aggregate.state)
        assertEquals(0, aggregate.version)
        assertEquals(3, aggregate.pendingVersion)
        val written = aggregate.toWritableEvents()
        assertEquals(listOf("opened", "deposited", "withdrawn"), written.map { it.type })
        assertEquals("""{"amount":100}""", written[1].data.decodeToString())
    }

    @Test
    fun `a serializable state gets a JSON state codec`() {
        val codec = assertNotNull(Account.stateCodec)
        val state = AccountState("x", "ada", 5)
        assertEquals(state, codec.decode(codec.encode(state)))
    }

    @Test
    fun `a state that is not serializable has no state codec and layers that need one say so`() {
        class Plain(val n: Int)
        val definition = aggregate<Plain>("plain") {
            initial { Plain(0) }
            on<Deposited>("deposited") { e -> Plain(n + e.amount.toInt()) }
        }
        assertNull(definition.stateCodec)
        val error = assertFailsWith<InvalidInputException> { definition.requireStateCodec("snapshots") }
        assertTrue(error.message.orEmpty().contains("snapshots"))
    }

    @Test
    fun `registering a name or a class twice is refused`() {
        assertFailsWith<InvalidInputException> {
            aggregate<AccountState>("account") {
                initial { AccountState("") }
                on<Opened>("opened") { this }
                on<Deposited>("opened") { this }
            }
        }
        assertFailsWith<InvalidInputException> {
            aggregate<AccountState>("account") {
                initial { AccountState("") }
                on<Opened>("opened") { this }
                on<Opened>("opened_again") { this }
            }
        }
    }

    @Test
    fun `a definition needs a valid type, an initial state and at least one event`() {
        assertFailsWith<InvalidInputException> { aggregate<AccountState>("Bad Type") { initial { AccountState("") }; on<Opened>("opened") { this } } }
        assertFailsWith<InvalidInputException> { aggregate<AccountState>("account") { on<Opened>("opened") { this } } }
        assertFailsWith<InvalidInputException> { aggregate<AccountState>("account") { initial { AccountState("") } } }
        assertFailsWith<InvalidInputException> { aggregate<AccountState>("account") { initial { AccountState("") }; on<Opened>("Opened!") { this } } }
    }

    @Test
    fun `appending an unregistered event is refused and changes nothing`() {
        val aggregate = Account.create()
        aggregate.append(Opened("ada"))
        assertFailsWith<InvalidInputException> { aggregate.append(Deposited(1), "not an event") }
        assertEquals(1, aggregate.pendingEvents.size)
        assertEquals(0, aggregate.state.balance)
    }

    @Test
    fun `decoding an unknown event type names the type and the aggregate`() {
        val aggregate = Account.create()
        val stored = Event(TypeId.new("closed"), aggregate.id, 1, 1, Instant.now(), "{}".toByteArray(), "application/json", emptyMap())
        val error = assertFailsWith<UnknownEventTypeException> { aggregate.applyStored(stored) }
        assertEquals("closed", error.eventType)
        assertEquals("account", error.aggregateType)
    }

    @Test
    fun `an undecodable payload is a CodecException naming the event type`() {
        val aggregate = Account.create()
        val stored = Event(TypeId.new("deposited"), aggregate.id, 1, 1, Instant.now(), "not json".toByteArray(), "application/json", emptyMap())
        val error = assertFailsWith<CodecException> { aggregate.applyStored(stored) }
        assertEquals("deposited", error.typeName)
        assertEquals(0, aggregate.version)
    }

    @Test
    fun `custom codecs plug in per event type`() {
        val upper = object : Codec<Opened> {
            override val contentType = "text/plain"
            override fun encode(value: Opened) = value.owner.uppercase().toByteArray()
            override fun decode(data: ByteArray) = Opened(data.decodeToString().lowercase())
        }
        val definition = aggregate<AccountState>("account") {
            initial { id: TypeId -> AccountState(id.toString()) }
            on<Opened>("opened", upper) { e -> copy(owner = e.owner) }
        }
        val aggregate = definition.create()
        aggregate.append(Opened("ada"))
        val written = aggregate.toWritableEvents().single()
        assertEquals("text/plain", written.contentType)
        assertEquals("ADA", written.data.decodeToString())
    }

    @Test
    fun `metadata helpers apply to pending events and reserved keys are refused`() {
        val aggregate = Account.create()
        aggregate.append(Opened("ada"))
        aggregate.appendWithMetadata(Deposited(5), mapOf("reason" to "gift", "source" to "event"))
        aggregate.putMetadata("correlation_id", "c-1")
        aggregate.putMetadata("source", "save")
        val written = aggregate.toWritableEvents()
        assertEquals(mapOf("correlation_id" to "c-1", "source" to "save"), written[0].metadata)
        assertEquals(mapOf("correlation_id" to "c-1", "source" to "event", "reason" to "gift"), written[1].metadata)
        assertFailsWith<InvalidInputException> { aggregate.putMetadata("estoria.x", "y") }
        assertFailsWith<InvalidInputException> { aggregate.appendWithMetadata(Deposited(1), mapOf("estoria.x" to "y")) }
    }

    @Test
    fun `event ids are fixed when appended so a retried save is the same batch`() {
        val aggregate = Account.create()
        aggregate.append(Opened("ada"))
        assertEquals(aggregate.toWritableEvents().map { it.id }, aggregate.toWritableEvents().map { it.id })
    }

    @Serializable
    data class Unused(val x: Int)

    @Test
    fun `jsonCodec round-trips and ignores unknown keys`() {
        val codec = jsonCodec<Unused>()
        assertEquals(Unused(3), codec.decode("""{"x":3,"added_later":true}""".toByteArray()))
        assertEquals("application/json", codec.contentType)
    }
}
