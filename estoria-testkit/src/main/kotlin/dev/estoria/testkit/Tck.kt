package dev.estoria.testkit

import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.minutes

/** Shared helpers of the conformance suites. */
public object Tck {
    /** The stream type of the kit's raw event-store clauses. */
    public const val STREAM_TYPE: String = "tck_stream"

    /** Runs a clause as a coroutine test with a generous real-time limit (real servers may be slow on CI). */
    @JvmStatic
    public fun run(block: suspend TestScope.() -> Unit): TestResult = runTest(timeout = 2.minutes) { block() }

    /** A fresh stream id that no other clause uses. */
    @JvmStatic
    public fun newStreamId(): TypeId = TypeId.new(STREAM_TYPE)

    /** An event with a small distinct JSON payload. */
    @JvmStatic
    @JvmOverloads
    public fun event(
        n: Int,
        type: String = "tck_happened",
        metadata: Map<String, String> = emptyMap(),
        contentType: String = WritableEvent.DEFAULT_CONTENT_TYPE,
    ): WritableEvent = WritableEvent.of(type, """{"n":$n}""".encodeToByteArray(), contentType, metadata)

    /** [count] events numbered from [first]. */
    @JvmStatic
    @JvmOverloads
    public fun events(count: Int, first: Int = 1): List<WritableEvent> = (first until first + count).map { event(it) }
}
