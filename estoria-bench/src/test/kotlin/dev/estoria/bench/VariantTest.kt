package dev.estoria.bench

import dev.estoria.jdbc.JdbcStoreOptions
import kotlinx.coroutines.Dispatchers
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotSame
import kotlin.test.assertSame

/** Store variants named on the command line reach the store's options, and unknown keys are refused. */
class VariantTest {
    @Test
    fun `a variant sets the options it names and leaves the rest at their defaults`() {
        val options = Variant.parse("coalesceAppends=false+appendWriters=1+pageSize=50").applyTo(JdbcStoreOptions.builder()).build()
        assertEquals(false, options.coalesceAppends)
        assertEquals(1, options.appendWriters)
        assertEquals(50, options.pageSize)
        assertEquals(JdbcStoreOptions.builder().build().maxEventSize, options.maxEventSize)
    }

    @Test
    fun `the dispatcher key picks where the store's JDBC calls run`() {
        assertSame(Dispatchers.Unconfined, Variant.parse("dispatcher=unconfined").applyTo(JdbcStoreOptions.builder()).build().dispatcher)
        assertSame(Dispatchers.IO, Variant.parse("dispatcher=io").applyTo(JdbcStoreOptions.builder()).build().dispatcher)
        val pool = Variant.parse("dispatcher=pool").applyTo(JdbcStoreOptions.builder()).build().dispatcher
        assertNotSame(Dispatchers.IO, pool)
        assertSame(pool, Variant.parse("dispatcher=pool").applyTo(JdbcStoreOptions.builder()).build().dispatcher, "one pool per run")
        assertFailsWith<IllegalArgumentException> { Variant.parse("dispatcher=main").applyTo(JdbcStoreOptions.builder()) }
    }

    @Test
    fun `an unknown key or a malformed pair is refused`() {
        assertFailsWith<IllegalArgumentException> { Variant.parse("batch=3") }
        assertFailsWith<IllegalArgumentException> { Variant.parse("pageSize") }
    }
}
