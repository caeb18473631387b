package dev.estoria.testkit.eventstore

import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withContext
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * How the writers of [StreamOrderRace] append: one expected-version mode, or a mix of them.
 * `EXACT` re-reads the stream's version from the conflict and tries again (bounded).
 */
internal enum class RaceMode { ANY, STREAM_EXISTS, EXACT, MIXED }

/**
 * [WRITERS] writers on real threads race on [STREAMS] streams, 1 or 2 events per append, then the
 * global log is checked stream by stream: versions 1..n without gaps, positions strictly rising with
 * the version, and the same events (positions included) as the stream reads return.
 */
internal object StreamOrderRace {
    const val WRITERS = 8
    const val STREAMS = 2
    /** Appends per writer; Exact writers conflict far more often (each conflict costs reads), so they do fewer. */
    private fun appendsPerWriter(mode: RaceMode): Int = if (mode == RaceMode.EXACT) 10 else 24

    /** Upper bound of the Exact writers' retries per append (each retry follows another writer's success). */
    private const val EXACT_TRIES = 10_000

    suspend fun run(store: EventStore, reader: GlobalReader, mode: RaceMode) {
        val head = reader.headPosition()
        val streams = List(STREAMS) { Tck.newStreamId() }
        // StreamExists needs the streams to exist; every mode starts from the same shape
        for (id in streams) store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
        withContext(Dispatchers.Default) {
            List(WRITERS) { w ->
                async {
                    repeat(appendsPerWriter(mode)) { i ->
                        val id = streams[(w + i) % STREAMS]
                        val size = 1 + (w + i) % 2
                        val writerMode = if (mode == RaceMode.MIXED) RaceMode.entries[(w + i) % 3] else mode
                        append(store, id, size, writerMode)
                    }
                }
            }.awaitAll()
        }
        val logged = reader.readAll(head).toList().filter { it.streamId in streams }
        for (id in streams) check(store, id, logged.filter { it.streamId == id }, mode)
        assertEquals(STREAMS + WRITERS * appendsPerWriter(mode) * 3 / 2, logged.size, "every appended event is in the global log")
    }

    private suspend fun append(store: EventStore, id: TypeId, size: Int, mode: RaceMode) {
        when (mode) {
            RaceMode.ANY -> store.appendStream(id, Tck.events(size), ExpectedVersion.Any)
            RaceMode.STREAM_EXISTS -> store.appendStream(id, Tck.events(size), ExpectedVersion.StreamExists)
            else -> {
                var version = 1L
                for (attempt in 1..EXACT_TRIES) {
                    try {
                        store.appendStream(id, Tck.events(size), ExpectedVersion.Exact(version))
                        return
                    } catch (e: StreamVersionConflictException) {
                        assertTrue(e.actual > version || attempt == 1, "a conflict reports a newer version (${e.actual} after $version)")
                        version = e.actual
                    }
                }
                fail("an Exact writer lost $EXACT_TRIES races in a row on $id")
            }
        }
    }

    private suspend fun check(store: EventStore, id: TypeId, logged: List<Event>, mode: RaceMode) {
        val versions = logged.map { it.streamVersion }
        assertEquals(
            (1L..versions.size).toList(),
            versions,
            "$mode: readAll must return stream $id in version order (a projection applies the log in order)",
        )
        val positions = logged.map { it.globalPosition ?: fail("no position") }
        assertEquals(positions.sorted().distinct(), positions, "$mode: positions of $id rise with its versions")
        assertEquals(store.readStream(id).toList(), logged, "$mode: stream reads report the positions readAll returns")
    }
}
