package dev.estoria.projection

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * The stream-to-partition hash is part of the stored contract (a change would move streams between partitions
 * and break per-stream order across a release): golden values computed outside the JVM, with Python's
 * `zlib.crc32(id.encode()) % n`, must hold; names and bad counts are checked at build time.
 */
class PartitionHashTest {
    private fun balances(partitions: Int) = projection("balances", version = 2) {
        partitions(partitions)
        onAny { _, _ -> }
    }

    @Test
    fun `partitionOf is crc32 of the stream id's UTF-8 text modulo the partitions, as zlib computes it`() {
        val account = TypeId.parse("account_0190f4c2-7a3e-7c4e-9a53-2f1b0c6d8e9f") // crc32 1802436942
        val cart = TypeId.parse("cart_00000000-0000-0000-0000-000000000001") // crc32 3615749632 (above Int.MAX_VALUE)
        assertEquals(6, balances(8).partitionOf(account))
        assertEquals(334, balances(1024).partitionOf(account))
        assertEquals(0, balances(8).partitionOf(cart))
        assertEquals(512, balances(1024).partitionOf(cart))
        assertEquals(0, balances(1).partitionOf(account))
    }

    @Test
    fun `partition names extend the checkpoint name and one partition keeps today's name`() {
        assertEquals("balances.v2", balances(1).partitionName(0))
        assertEquals(listOf("balances.v2#0/3", "balances.v2#1/3", "balances.v2#2/3"), balances(3).checkpointNames)
        assertFailsWith<InvalidInputException> { balances(3).partitionName(3) }
        assertFailsWith<InvalidInputException> { balances(0) }
        assertFailsWith<InvalidInputException> { balances(Projection.MAX_PARTITIONS + 1) }
        assertFailsWith<InvalidInputException> { projection("a#b") { onAny { _, _ -> } } }
    }
}
