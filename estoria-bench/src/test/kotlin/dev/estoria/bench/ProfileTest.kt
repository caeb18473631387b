package dev.estoria.bench

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals

/** A stand-in server's profile: a fifth of the work, the longest stream a tenth, no warm-up, the rest as it was. */
class ProfileTest {
    @Test
    fun `the stand-in profile scales the counts down and keeps the rounds`() {
        val q = Profile.quick.forStandIn()
        assertEquals("quick/5", q.name)
        assertEquals(Profile.quick.rounds, q.rounds)
        assertEquals(Profile.quick.sequential1 / 5, q.sequential1)
        assertEquals(Profile.quick.readManyStreams / 5, q.readManyStreams)
        assertEquals(listOf(10, 1_000, 10_000), q.aggregateLengths)
        assertEquals(0, q.warmUpSeconds)
        assertEquals(Profile.quick.latencyEvents, q.latencyEvents)
        assertEquals(listOf(10, 100, 1_000), Profile.tiny.forStandIn().aggregateLengths)
    }
}
