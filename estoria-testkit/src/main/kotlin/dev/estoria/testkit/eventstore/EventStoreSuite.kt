package dev.estoria.testkit.eventstore

import dev.estoria.error.DuplicateEventException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.event
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestResult
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Nested
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * The contract of [EventStore]: append, read and optimistic concurrency. A backend runs it by
 * extending this class and returning its store from [eventStore].
 */
public abstract class EventStoreSuite {
    /** The store under test; called once per clause. It may be shared: every clause uses fresh stream ids. */
    protected abstract fun eventStore(): EventStore

    /**
     * The largest event [eventStore] accepts, in bytes (at least 1 KiB), or `null` when it has no limit:
     * the size clause then checks that large content types and metadata round-trip instead.
     */
    protected open fun maxEventSize(): Int? = null

    private suspend fun EventStore.read(id: TypeId, options: ReadOptions = ReadOptions.FORWARD): List<Event> =
        readStream(id, options).toList()

    /** Appends: what an append returns and stores, exactly, and what it refuses. */
    @Nested
    public inner class Appending {
        /**
         * Callers treat the append result as committed truth (to reply or project without reading back) and chain
         * its next expected version into the next append; it must match what a read returns.
         */
        @Test
        public fun `an append returns exactly the events a later read returns`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val first = store.appendStream(id, events(3), ExpectedVersion.NoStream)
            val second = store.appendStream(id, events(2, first = 4), ExpectedVersion.Exact(3))
            assertEquals(first.events + second.events, store.read(id))
            assertEquals(3, first.nextExpectedVersion)
            assertEquals(5, second.nextExpectedVersion)
        }

        /**
         * Stream versions are the optimistic-concurrency token and the aggregate version; a gap or a different
         * start would make expected versions and replays disagree between backends.
         */
        @Test
        public fun `versions start at 1 and have no gaps across appends`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            repeat(4) { store.appendStream(id, events(it + 1)) }
            assertEquals((1L..10L).toList(), store.read(id).map { it.streamVersion })
        }

        /**
         * The store is an opaque carrier: ids, binary or empty payloads, any content type (empty included) and
         * Unicode metadata must come back exactly, or codecs and correlation metadata break when a backend is
         * swapped in.
         */
        @Test
        public fun `ids, stream id, types, payloads, content types and metadata round-trip exactly`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val binary = ByteArray(256) { it.toByte() }
            val written = listOf(
                WritableEvent.of("tck_binary", binary, "application/octet-stream", mapOf("k" to "v", "ünï" to "çødé ✓")),
                WritableEvent.of("tck_empty", ByteArray(0), "", emptyMap()),
                WritableEvent.of("tck_text", "plain text\n\u0000end".encodeToByteArray(), "text/plain; charset=utf-8", mapOf("empty" to "")),
            )
            store.appendStream(id, written)
            val read = store.read(id)
            assertEquals(written.size, read.size)
            for ((w, r) in written.zip(read)) {
                assertEquals(w.id, r.id)
                assertEquals(w.type, r.type)
                assertEquals(id, r.streamId)
                assertTrue(r.dataEquals(w.data), "payload of ${w.type} must round-trip byte for byte")
                assertEquals(w.contentType, r.contentType)
                assertEquals(w.metadata, r.metadata)
            }
        }

        /**
         * Text that a backend cannot store exactly (a lone UTF-16 surrogate, as in a header cut in the middle of an
         * emoji, or a NUL) would come back altered (`?`) or fail on one backend only, and a retry of the same
         * batch would then be taken for a duplicate: it must be refused up front with InvalidInputException on every
         * backend, writing nothing, while whole surrogate pairs round-trip and keep retries idempotent.
         */
        @Test
        public fun `metadata and content types holding a lone surrogate or NUL are refused and write nothing, surrogate pairs round-trip`(): TestResult =
            Tck.run {
                val store = eventStore()
                val id = newStreamId()
                val emoji = "\uD83D\uDE00"
                for (bad in listOf("cut " + emoji.take(1), emoji.drop(1) + " tail", "a\u0000b")) {
                    assertFailsWith<InvalidInputException>("content type") { store.appendStream(id, listOf(event(1, contentType = bad))) }
                    assertFailsWith<InvalidInputException>("metadata value") { store.appendStream(id, listOf(event(1, metadata = mapOf("k" to bad)))) }
                    assertFailsWith<InvalidInputException>("metadata key") { store.appendStream(id, listOf(event(1, metadata = mapOf(bad to "v")))) }
                }
                assertFailsWith<StreamNotFoundException> { store.read(id) }
                val batch = listOf(event(1, metadata = mapOf("k$emoji" to "v$emoji"), contentType = "text/$emoji"))
                val result = store.appendStream(id, batch, ExpectedVersion.NoStream)
                assertEquals(result.events, store.read(id))
                assertEquals(batch[0].metadata, result.events[0].metadata)
                assertEquals("text/$emoji", result.events[0].contentType)
                assertEquals(result, store.appendStream(id, batch, ExpectedVersion.NoStream))
            }

        /**
         * A size limit protects the store from oversized rows; it is only a protection if it counts every byte the
         * store keeps for an event, the content type and metadata included, not the payload alone. A store without a
         * limit must keep large content types and metadata exactly.
         */
        @Test
        public fun `the content type and metadata count against the event size limit, or round-trip where there is none`(): TestResult =
            Tck.run {
                val store = eventStore()
                val id = newStreamId()
                val limit = maxEventSize()
                val half = (limit ?: (64 * 1024)) / 2
                val byContentType = WritableEvent.of("tck_big", ByteArray(half), "x".repeat(half + 1))
                val byMetadata = WritableEvent.of("tck_big", ByteArray(half), metadata = mapOf("k" to "\u00e9".repeat(half / 2 + 1)))
                if (limit == null) {
                    val result = store.appendStream(id, listOf(byContentType, byMetadata))
                    assertEquals(result.events, store.read(id))
                    assertEquals(byContentType.contentType, result.events[0].contentType)
                    return@run
                }
                for (oversized in listOf(byContentType, byMetadata)) {
                    val error = assertFailsWith<EventTooLargeException> { store.appendStream(id, listOf(event(1), oversized)) }
                    assertEquals(limit, error.limit)
                }
                assertFailsWith<StreamNotFoundException> { store.read(id) }
                val fits = WritableEvent.of("tck_big", ByteArray(limit / 2), "x".repeat(limit / 4))
                assertEquals(store.appendStream(id, listOf(fits)).events, store.read(id))
            }

        /**
         * Audit trails and time-based queries rely on event timestamps; they must reflect the append itself
         * (within clock slack) and be the same in the append result and in later reads.
         */
        @Test
        public fun `timestamps lie between the start and the end of the append`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val before = Instant.now().minusSeconds(5)
            val result = store.appendStream(id, events(2))
            val after = Instant.now().plusSeconds(5)
            assertEquals(2, result.events.size)
            for (e in result.events) assertTrue(e.timestamp in before..after, "timestamp ${e.timestamp} outside the append")
            assertEquals(result.events.map { it.timestamp }, store.read(id).map { it.timestamp })
        }

        /**
         * Commands that decide nothing produce empty appends; these must not create phantom streams, yet a caller
         * relying on the expected version must still get a conflict when it does not match.
         */
        @Test
        public fun `an empty append is a no-op that creates no stream, and still checks the expected version`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val result = store.appendStream(id, emptyList(), ExpectedVersion.Any)
            assertEquals(0, result.nextExpectedVersion)
            assertTrue(result.events.isEmpty())
            assertFailsWith<StreamNotFoundException> { store.read(id) }
            // the version check still applies to an empty append, and a failed one creates nothing either
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, emptyList(), ExpectedVersion.StreamExists) }
            assertFailsWith<StreamNotFoundException> { store.read(id) }
            store.appendStream(id, events(2))
            assertEquals(2, store.appendStream(id, emptyList(), ExpectedVersion.Exact(2)).nextExpectedVersion)
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, emptyList(), ExpectedVersion.Exact(1)) }
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, emptyList(), ExpectedVersion.NoStream) }
            assertEquals(2, store.read(id).size)
        }

        /**
         * Callers keep and reuse their batches (to retry, for instance) and may mutate the events they read;
         * neither side may corrupt the other's data or the stored payload.
         */
        @Test
        public fun `the caller's list and payloads are not changed by an append, and reads hand out copies`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val batch = events(3).toMutableList()
            val snapshot = batch.toList()
            store.appendStream(id, batch)
            assertEquals(snapshot, batch)
            val first = store.read(id).first()
            first.data.fill(0)
            assertTrue(store.read(id).first().dataEquals("""{"n":1}""".encodeToByteArray()))
        }
    }

    /** Optimistic concurrency: each expected-version mode, and what a conflict reports and leaves behind. */
    @Nested
    public inner class ExpectedVersions {
        /**
         * `Any` is the default for writers that need no concurrency check (logs, imports); it must succeed
         * whether or not the stream exists yet.
         */
        @Test
        public fun `expected version Any appends to new and existing streams`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(1), ExpectedVersion.Any)
            val result = store.appendStream(id, events(1, 2), ExpectedVersion.Any)
            assertEquals(2, result.nextExpectedVersion)
            assertEquals(2, store.read(id).size)
        }

        /**
         * `NoStream` is how a creator claims a fresh stream id; a second creator must get a conflict reporting
         * the actual version, and none of its events may be written.
         */
        @Test
        public fun `expected version NoStream succeeds on a new stream and conflicts on an existing one`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(1), ExpectedVersion.NoStream)
            val conflict = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 2), ExpectedVersion.NoStream) }
            assertEquals(1, conflict.actual)
            assertEquals(1, store.read(id).size)
        }

        /**
         * `StreamExists` guards writes that only make sense on an existing stream; on a new stream it must
         * conflict (actual version 0) without creating the stream.
         */
        @Test
        public fun `expected version StreamExists conflicts on a new stream and succeeds on an existing one`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val conflict = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1), ExpectedVersion.StreamExists) }
            assertEquals(0, conflict.actual)
            assertFailsWith<StreamNotFoundException> { store.read(id) }
            store.appendStream(id, events(1), ExpectedVersion.NoStream)
            assertEquals(2, store.appendStream(id, events(1, 2), ExpectedVersion.StreamExists).nextExpectedVersion)
        }

        /**
         * `Exact` is the optimistic-concurrency check aggregate saves rely on: only a writer that saw the current
         * version may append, whether its expected version is behind or ahead.
         */
        @Test
        public fun `expected version Exact succeeds at the current version and conflicts otherwise`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1), ExpectedVersion.Exact(1)) }
            store.appendStream(id, events(2), ExpectedVersion.Exact(0))
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 3), ExpectedVersion.Exact(1)) }
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 3), ExpectedVersion.Exact(3)) }
            assertEquals(3, store.appendStream(id, events(1, 3), ExpectedVersion.Exact(2)).nextExpectedVersion)
        }

        /**
         * Callers log conflicts and decide how to retry from them; the error must say which stream, what version
         * they expected and where the stream actually is.
         */
        @Test
        public fun `a conflict names the stream, the expected version and the actual version`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(3))
            val conflict = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(1, 4), ExpectedVersion.Exact(1)) }
            assertEquals(id, conflict.streamId)
            assertEquals(ExpectedVersion.Exact(1), conflict.expected)
            assertEquals(3, conflict.actual)
        }

        /**
         * A losing writer must leave no partial batch behind, and the stream must accept the next append at its
         * true version, so a reload-and-retry loop can proceed.
         */
        @Test
        public fun `appending with a stale expected version changes nothing and leaves the stream usable`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val original = store.appendStream(id, events(2)).events
            assertFailsWith<StreamVersionConflictException> { store.appendStream(id, events(5, 10), ExpectedVersion.Exact(1)) }
            assertEquals(original, store.read(id))
            val next = store.appendStream(id, events(1, 20), ExpectedVersion.Exact(2))
            assertEquals(original + next.events, store.read(id))
        }
    }

    /** Stream reads: not-found, direction, bounds, paging and cold flows. */
    @Nested
    public inner class Reading {
        /**
         * Loaders tell "no such aggregate" apart from "no new events" by this error; it must name the stream and
         * be raised in both directions, whatever other streams exist.
         */
        @Test
        public fun `reading a never-written stream fails with StreamNotFoundException naming it`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val error = assertFailsWith<StreamNotFoundException> { store.read(id) }
            assertEquals(id, error.streamId)
            assertFailsWith<StreamNotFoundException> { store.read(id, ReadOptions.BACKWARD) }
            store.appendStream(newStreamId(), events(1))
            assertFailsWith<StreamNotFoundException> { store.read(id) }
        }

        /**
         * Catch-up readers ask for the events after the version they hold; an up-to-date stream must answer with
         * an empty read, not with StreamNotFoundException.
         */
        @Test
        public fun `reading an existing stream past its end is empty`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(3))
            assertEquals(emptyList(), store.read(id, ReadOptions(fromVersion = 4)))
            assertEquals(emptyList(), store.read(id, ReadOptions(fromVersion = 100, maxCount = 5)))
            assertEquals(3, store.read(id).size)
        }

        /**
         * Backward reads are how callers find the latest events (the current version, the newest snapshot)
         * without scanning from the start; they must be the forward events exactly reversed.
         */
        @Test
        public fun `reading backward returns the newest events first`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val written = store.appendStream(id, events(5)).events
            assertEquals(5, written.size)
            assertEquals(written.reversed(), store.read(id, ReadOptions.BACKWARD))
        }

        /**
         * Hydration reads from `version + 1`; an off-by-one in `fromVersion` would skip or re-apply an event. A
         * backward read from beyond the end starts at the last event.
         */
        @Test
        public fun `fromVersion is inclusive forward and backward`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(6))
            assertEquals(listOf(3L, 4, 5, 6), store.read(id, ReadOptions(fromVersion = 3)).map { it.streamVersion })
            assertEquals(listOf(3L, 2, 1), store.read(id, ReadOptions(3, ReadDirection.BACKWARD)).map { it.streamVersion })
            assertEquals(listOf(6L, 5, 4, 3, 2, 1), store.read(id, ReadOptions(100, ReadDirection.BACKWARD)).map { it.streamVersion })
        }

        /**
         * Paged readers and loads up to a version rely on `maxCount` being an exact upper bound, counted from
         * `fromVersion` in either direction.
         */
        @Test
        public fun `maxCount limits the events returned in both directions`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            store.appendStream(id, events(6))
            assertEquals(listOf(1L, 2), store.read(id, ReadOptions(maxCount = 2)).map { it.streamVersion })
            assertEquals(listOf(4L, 5, 6), store.read(id, ReadOptions(4, ReadDirection.FORWARD, 10)).map { it.streamVersion })
            assertEquals(listOf(6L, 5), store.read(id, ReadOptions(maxCount = 2, direction = ReadDirection.BACKWARD)).map { it.streamVersion })
            assertEquals(listOf(4L, 3, 2), store.read(id, ReadOptions(4, ReadDirection.BACKWARD, 3)).map { it.streamVersion })
        }

        /**
         * A stream flow may be built once and collected later or repeatedly (a retry loop, say); each collection
         * must see the events stored at that moment, not those of when the flow was created.
         */
        @Test
        public fun `a stream read is cold and each collection reads afresh`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val flow = store.readStream(id)
            store.appendStream(id, events(2))
            assertEquals(2, flow.toList().size)
            store.appendStream(id, events(1, 3))
            assertEquals(3, flow.toList().size)
        }

        /**
         * Backends read in pages and long-lived aggregates have thousands of events; every page boundary must be
         * crossed without losing, repeating or reordering events, in both directions and within a range.
         */
        @Test
        public fun `a stream larger than any page is read completely in order`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            repeat(12) { batch -> store.appendStream(id, events(100, batch * 100 + 1)) }
            val forward = store.read(id)
            assertEquals((1L..1200L).toList(), forward.map { it.streamVersion })
            assertEquals((1L..1200L).reversed().toList(), store.read(id, ReadOptions.BACKWARD).map { it.streamVersion })
            assertEquals((301L..1000L).toList(), store.read(id, ReadOptions(301, maxCount = 700)).map { it.streamVersion })
        }
    }

    /** Retried appends return the original result; reused event ids are duplicates. */
    @Nested
    public inner class Idempotency {
        /**
         * Callers retry after timeouts and unknown outcomes; a retried batch must not be written twice, and the
         * retry gets the original result back, whether sent with `NoStream`, `Exact` or `Any`.
         */
        @Test
        public fun `re-appending the same batch at the same versions returns the original result`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val batch = events(3)
            val original = store.appendStream(id, batch, ExpectedVersion.NoStream)
            assertEquals(3, original.events.size)
            assertEquals(original, store.appendStream(id, batch, ExpectedVersion.NoStream))
            val next = events(2, 4)
            val second = store.appendStream(id, next, ExpectedVersion.Exact(3))
            assertEquals(second, store.appendStream(id, next, ExpectedVersion.Exact(3)))
            assertEquals(second.events, store.appendStream(id, next, ExpectedVersion.Any).events)
            assertEquals(original.events + second.events, store.read(id))
            assertEquals(5, store.read(id).size)
        }

        /**
         * A retry may arrive after other writers moved the stream on; it must still return the original result,
         * with the original next expected version rather than the stream's current one, and write nothing.
         */
        @Test
        public fun `a batch retried after other writers appended returns the original result, next expected version included`(): TestResult =
            Tck.run {
                val store = eventStore()
                val id = newStreamId()
                val batch = events(2)
                val original = store.appendStream(id, batch, ExpectedVersion.NoStream)
                store.appendStream(id, events(3, 10), ExpectedVersion.Exact(2))
                val retried = store.appendStream(id, batch, ExpectedVersion.NoStream)
                assertEquals(original, retried)
                assertEquals(2, retried.nextExpectedVersion)
                assertEquals(5, store.read(id).size)
            }

        /**
         * Event ids are the idempotency key; reusing one for other content is a caller bug that must be reported
         * (naming the id) rather than taken for a retry, and must leave the stream unchanged.
         */
        @Test
        public fun `reusing an event id for other content fails with DuplicateEventException and writes nothing`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val stored = store.appendStream(id, events(2)).events
            val reused = WritableEvent.of("tck_happened", """{"other":true}""".encodeToByteArray(), id = stored[0].id)
            val error = assertFailsWith<DuplicateEventException> { store.appendStream(id, listOf(reused)) }
            assertEquals(stored[0].id, error.eventId)
            val reusedLater = listOf(event(50), WritableEvent.of("tck_happened", """{"n":2}""".encodeToByteArray(), id = stored[1].id))
            assertFailsWith<DuplicateEventException> { store.appendStream(id, reusedLater) }
            assertEquals(stored, store.read(id))
        }

        /**
         * Event ids are unique store-wide: appending an already stored batch to another stream must be refused,
         * so one event never lives in two streams and the second stream is not created.
         */
        @Test
        public fun `reusing an event id in another stream fails with DuplicateEventException and writes nothing`(): TestResult = Tck.run {
            val store = eventStore()
            val first = newStreamId()
            val second = newStreamId()
            val batch = events(1)
            store.appendStream(first, batch)
            assertFailsWith<DuplicateEventException> { store.appendStream(second, batch) }
            assertFailsWith<StreamNotFoundException> { store.read(second) }
        }

        /**
         * A batch holding the same event id twice can never be stored consistently; it must be refused up front
         * with InvalidInputException, without creating the stream.
         */
        @Test
        public fun `a batch repeating an event id is refused and writes nothing`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val once = event(1)
            assertFailsWith<InvalidInputException> { store.appendStream(id, listOf(once, event(2), once)) }
            assertFailsWith<StreamNotFoundException> { store.read(id) }
        }

        /**
         * A retry whose expected version no longer matches where the batch was stored must not append a second
         * copy of its events; DuplicateEventException tells the caller the batch is already in.
         */
        @Test
        public fun `a retried batch at other versions is a duplicate, not a second copy`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val batch = events(2)
            store.appendStream(id, batch)
            store.appendStream(id, events(1, 3))
            assertFailsWith<DuplicateEventException> { store.appendStream(id, batch, ExpectedVersion.Exact(3)) }
            assertEquals(3, store.read(id).size)
        }
    }

    /** Racing writers, on one stream and on many. */
    @Nested
    public inner class Concurrency {
        /**
         * Optimistic concurrency is only safe if, under real parallel load, exactly one writer wins each version:
         * no lost update, no duplicate version, every successful append present.
         */
        @Test
        public fun `concurrent writers on one stream never lose or duplicate a version`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            val writers = 8
            val appendsEach = 6
            val written = withContext(Dispatchers.Default) {
                (1..writers).map { w ->
                    async {
                        val mine = ArrayList<TypeId>()
                        repeat(appendsEach) { i ->
                            while (true) {
                                val current = runCatching { store.readStream(id, ReadOptions.BACKWARD).toList().firstOrNull()?.streamVersion ?: 0L }
                                    .getOrElse { if (it is StreamNotFoundException) 0L else throw it }
                                val batch = listOf(event(w * 1000 + i))
                                try {
                                    store.appendStream(id, batch, ExpectedVersion.Exact(current))
                                    mine += batch[0].id
                                    break
                                } catch (e: StreamVersionConflictException) {
                                    // lost the race: read again and retry
                                }
                            }
                        }
                        mine
                    }
                }.awaitAll().flatten()
            }
            val read = store.read(id)
            assertEquals((1L..(writers * appendsEach).toLong()).toList(), read.map { it.streamVersion })
            assertEquals(written.toSet(), read.map { it.id }.toSet())
        }

        /**
         * Writers without a version check (`Any`) still race; the store must serialize them so that every batch
         * lands, with versions of its own and no gaps.
         */
        @Test
        public fun `concurrent appends with Any on one stream all land with distinct versions`(): TestResult = Tck.run {
            val store = eventStore()
            val id = newStreamId()
            withContext(Dispatchers.Default) {
                repeat(8) { w -> launch { repeat(5) { i -> store.appendStream(id, events(2, w * 100 + i * 2)) } } }
            }
            assertEquals((1L..80L).toList(), store.read(id).map { it.streamVersion })
        }

        /**
         * Writes to different aggregates must not interfere: under concurrency each stream keeps its own versions
         * and no append fails because of another stream.
         */
        @Test
        public fun `concurrent appends to different streams all succeed`(): TestResult = Tck.run {
            val store = eventStore()
            val ids = List(8) { newStreamId() }
            withContext(Dispatchers.Default) {
                ids.forEach { id -> launch { repeat(5) { store.appendStream(id, events(2), ExpectedVersion.Exact(it * 2L)) } } }
            }
            for (id in ids) assertEquals((1L..10L).toList(), store.read(id).map { it.streamVersion })
        }
    }
}
