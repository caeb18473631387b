package dev.estoria.jdbc

import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.live.RecordingDataSource
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import java.sql.Connection
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * Coalesced appends on PostgreSQL ([JdbcStoreOptions.coalesceAppends]). Every group is built
 * deterministically: the store has one writer, a first append holds it while it waits on a stream row
 * locked by the test, the appends under test queue behind it (the test waits until they have), and
 * committing the lock lets the writer take the queue as one statement.
 */
class PostgresAppendCoalescingTest {
    private val Event.position: Long get() = requireNotNull(globalPosition)

    private val recording = RecordingDataSource(TestDatabases.postgres())
    private val options = JdbcStoreOptions.builder().tablePrefix("co${UUID.randomUUID().toString().take(8)}_").appendWriters(1).build()
    private val store = PostgresEventStore.create(recording.dataSource, options)
    private val streams = "${options.tablePrefix}streams"

    private fun groupStatements(): Int = recording.statements.count { "unnest(" in it }

    /** Single-append inserts (not group statements) recorded so far. */
    private fun singleInserts(): Int = recording.statements.count { "INSERT INTO ${options.tablePrefix}events" in it && "unnest(" !in it }

    private fun lock(locker: Connection, id: TypeId): Int = RowLocks.lock(locker, id, streams)

    private suspend fun blockedBy(admin: Connection, lockerPid: Int): Int = RowLocks.blockedBy(admin, lockerPid)

    private suspend fun awaitQueued(n: Int) {
        repeat(2000) {
            if (store.engine.queuedAppends == n) return
            delay(5)
        }
        error("expected $n queued appends, have ${store.engine.queuedAppends}")
    }

    private suspend fun stream(versions: Int = 1): TypeId = TypeId.new("co").also { store.appendStream(it, Tck.events(versions)) }

    /**
     * Runs [appends] while the store's only writer is held by an append blocked on a locked row, waits
     * until all of them queued, then releases the writer; returns each append's outcome.
     */
    private suspend fun CoroutineScope.queuedBehindBlocker(vararg appends: suspend () -> AppendResult): List<Result<AppendResult>> =
        queuedBehindBlocker(Dispatchers.Default, *appends)

    /** [queuedBehindBlocker] with the appends' callers on [callers]. */
    private suspend fun CoroutineScope.queuedBehindBlocker(
        callers: CoroutineDispatcher,
        vararg appends: suspend () -> AppendResult,
    ): List<Result<AppendResult>> {
        val blocker = stream()
        val ds = TestDatabases.postgres()
        return ds.connection.use { locker ->
            ds.connection.use { admin ->
                val lockerPid = lock(locker, blocker)
                val held = async(Dispatchers.IO) { store.appendStream(blocker, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                blockedBy(admin, lockerPid)
                val calls = appends.map { call -> async(callers) { runCatching { call() } } }
                awaitQueued(appends.size)
                locker.commit()
                withTimeout(30_000) {
                    assertEquals(2, held.await().nextExpectedVersion)
                    calls.map { it.await() }
                }
            }
        }
    }

    @Test
    fun `appends queued behind a statement in flight are written by one statement, each with its own versions and positions`() = runBlocking {
        val existing = stream(3)
        val zero = TypeId.new("co")
        val fresh = List(4) { TypeId.new("co") }
        val before = groupStatements()
        val outcomes = queuedBehindBlocker(
            { store.appendStream(fresh[0], Tck.events(1), ExpectedVersion.NoStream) },
            { store.appendStream(fresh[1], Tck.events(3), ExpectedVersion.Any) },
            { store.appendStream(existing, Tck.events(2, first = 4), ExpectedVersion.Exact(3)) },
            { store.appendStream(fresh[2], Tck.events(2), ExpectedVersion.NoStream) },
            { store.appendStream(zero, Tck.events(1), ExpectedVersion.Exact(0)) },
            { store.appendStream(fresh[3], Tck.events(1), ExpectedVersion.Any) },
        )
        assertEquals(1, groupStatements() - before, "the six queued appends went out as one statement")
        val results = outcomes.map { it.getOrThrow() }
        assertEquals(listOf(1L, 3L, 5L, 2L, 1L, 1L), results.map { it.nextExpectedVersion })
        // the appends queued in whatever order their callers ran: each append's positions are consecutive,
        // and the group's positions are one gap-free run of one transaction
        for (r in results) {
            val own = r.events.map { it.position }
            assertEquals((own.first() until own.first() + own.size).toList(), own, "one append's positions are consecutive")
        }
        val positions = results.flatMap { r -> r.events.map { it.position } }.sorted()
        assertEquals((positions.first() until positions.first() + positions.size).toList(), positions)
        for ((id, result) in listOf(fresh[0], fresh[1], existing, fresh[2], zero, fresh[3]).zip(results)) {
            val stored = store.readStream(id).toList().takeLast(result.events.size)
            assertEquals(result.events, stored, "$id reads back exactly what its append returned")
        }
        val log = store.readAll(positions.first() - 1).toList().filter { it.position in positions }
        assertEquals(results.flatMap { it.events }.sortedBy { it.position }, log, "the global log holds exactly the group's events")
    }

    @Test
    fun `callers a group released queue their next appends while the writer resumes them, for one next group`() = runBlocking {
        stream() // a fresh store's first append may be tried twice (its position floor is read on a refusal)
        val ids = List(6) { TypeId.new("co") }
        val groups = groupStatements()
        val singles = singleInserts()
        val appends = ids.map { id ->
            suspend {
                store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
                store.appendStream(id, Tck.events(1, first = 2), ExpectedVersion.Exact(1))
            }
        }
        val outcomes = queuedBehindBlocker(*appends.toTypedArray())
        assertEquals(List(6) { 2L }, outcomes.map { it.getOrThrow().nextExpectedVersion })
        // the writer resumes each Default caller on its own thread before it looks at the queue again, so
        // every second append queued behind it: none ran alone, and all six went out in the next statement
        assertEquals(2, singleInserts() - singles, "only the blocker's appends (its first and the held one) ran alone")
        assertEquals(2, groupStatements() - groups, "the first appends in one statement, the second ones in one more")
        for (id in ids) assertEquals(listOf(1L, 2L), store.readStream(id).toList().map { it.streamVersion })
    }

    @Test
    fun `callers on Dispatchers IO a group released append again, each with its own outcome`() = runBlocking {
        stream() // a fresh store's first append may be tried twice (its position floor is read on a refusal)
        val ids = List(6) { TypeId.new("co") }
        val appends = ids.map { id ->
            suspend {
                store.appendStream(id, Tck.events(1), ExpectedVersion.NoStream)
                store.appendStream(id, Tck.events(1, first = 2), ExpectedVersion.Exact(1))
                store.appendStream(id, Tck.events(1, first = 3), ExpectedVersion.Exact(2))
            }
        }
        // how the second and third appends group depends on when the IO dispatcher runs each caller again:
        // this clause checks their outcomes and that none is left waiting; estoria-bench measures the grouping
        val outcomes = queuedBehindBlocker(Dispatchers.IO, *appends.toTypedArray())
        assertEquals(List(6) { 3L }, outcomes.map { it.getOrThrow().nextExpectedVersion })
        for (id in ids) assertEquals(listOf(1L, 2L, 3L), store.readStream(id).toList().map { it.streamVersion })
        assertEquals(0, store.engine.queuedAppends)
    }

    @Test
    fun `an IO caller cancelled while its group is written holds no later append`() = runBlocking {
        val blocker = stream()
        val held = stream() // the group statement waits on this stream's row
        val other = TypeId.new("co")
        val ds = TestDatabases.postgres()
        ds.connection.use { first ->
            ds.connection.use { second ->
                ds.connection.use { admin ->
                    val firstPid = lock(first, blocker)
                    val heldPid = lock(second, held)
                    val alone = async(Dispatchers.IO) { store.appendStream(blocker, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                    blockedBy(admin, firstPid)
                    val cancelled = async(Dispatchers.IO) { store.appendStream(held, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                    val kept = async(Dispatchers.IO) { store.appendStream(other, Tck.events(1), ExpectedVersion.NoStream) }
                    awaitQueued(2)
                    first.commit()
                    blockedBy(admin, heldPid) // the writer took both as one group, whose statement now waits
                    cancelled.cancelAndJoin()
                    second.commit()
                    withTimeout(30_000) {
                        assertEquals(2, alone.await().nextExpectedVersion)
                        assertEquals(1, kept.await().nextExpectedVersion)
                        // the writer released the cancelled caller like the others (which ignores it): nothing of
                        // the group is left holding the coalescer, and the next appends run
                        val next = List(3) { async(Dispatchers.IO) { store.appendStream(TypeId.new("co"), Tck.events(1), ExpectedVersion.NoStream) } }
                        assertEquals(List(3) { 1L }, next.map { it.await().nextExpectedVersion })
                    }
                    assertTrue(cancelled.isCancelled)
                    assertEquals(listOf(1L, 2L), store.readStream(held).toList().map { it.streamVersion }, "the group was written for the others")
                }
            }
        }
    }

    @Test
    fun `a refused append of a group fails alone, with the outcome it would have alone`() = runBlocking {
        val behind = stream(2)
        val exists = stream(1)
        val retried = TypeId.new("co")
        val retriedBatch = Tck.events(2)
        val original = store.appendStream(retried, retriedBatch, ExpectedVersion.NoStream)
        val fine = TypeId.new("co")
        val missing = TypeId.new("co")
        val before = groupStatements()
        val insertsBefore = singleInserts()
        val outcomes = queuedBehindBlocker(
            { store.appendStream(behind, Tck.events(1, first = 3), ExpectedVersion.Exact(1)) },
            { store.appendStream(fine, Tck.events(1), ExpectedVersion.NoStream) },
            { store.appendStream(exists, Tck.events(1, first = 2), ExpectedVersion.NoStream) },
            { store.appendStream(retried, retriedBatch, ExpectedVersion.NoStream) },
            { store.appendStream(missing, Tck.events(1), ExpectedVersion.StreamExists) },
        )
        assertEquals(1, groupStatements() - before)
        // the blocker's own insert (and its stream's first append) only: a member the group refused is decided
        // at once by the look-up, never inserted again
        assertEquals(2, singleInserts() - insertsBefore, "single-append inserts beside the group statement")
        val stale = assertIs<StreamVersionConflictException>(outcomes[0].exceptionOrNull())
        assertEquals(2, stale.actual)
        assertEquals(1, outcomes[1].getOrThrow().nextExpectedVersion)
        assertIs<StreamVersionConflictException>(outcomes[2].exceptionOrNull())
        assertEquals(original, outcomes[3].getOrThrow(), "an idempotent retry in a group returns the original result")
        assertIs<StreamVersionConflictException>(outcomes[4].exceptionOrNull())
        assertEquals(2, store.readStream(behind).toList().size)
        assertEquals(1, store.readStream(exists).toList().size)
        assertEquals(2, store.readStream(retried).toList().size)
    }

    @Test
    fun `a reused event id fails only its own append of the group`() = runBlocking {
        val taken = stream(1)
        val takenId = store.readStream(taken).toList().single().id
        val reuse = WritableEvent.builder("tck_happened", "{}".encodeToByteArray()).id(takenId).build()
        val a = TypeId.new("co")
        val b = TypeId.new("co")
        val c = TypeId.new("co")
        val outcomes = queuedBehindBlocker(
            { store.appendStream(a, Tck.events(2), ExpectedVersion.NoStream) },
            { store.appendStream(b, listOf(Tck.event(1), reuse), ExpectedVersion.Any) },
            { store.appendStream(c, Tck.events(1), ExpectedVersion.Any) },
        )
        assertEquals(2, outcomes[0].getOrThrow().nextExpectedVersion)
        assertIs<DuplicateEventException>(outcomes[1].exceptionOrNull(), "got ${outcomes[1]}")
        assertEquals(1, outcomes[2].getOrThrow().nextExpectedVersion)
        assertEquals(emptyList(), runCatching { store.readStream(b).toList() }.getOrDefault(emptyList()), "nothing of the refused append was stored")
    }

    @Test
    fun `a second append to a stream already queued runs alone beside it, and the stream keeps its order in the log`() = runBlocking {
        val shared = TypeId.new("co")
        val other = TypeId.new("co")
        val blocker = stream()
        val ds = TestDatabases.postgres()
        val before = groupStatements()
        ds.connection.use { locker ->
            ds.connection.use { admin ->
                val pid = lock(locker, blocker)
                val held = async(Dispatchers.IO) { store.appendStream(blocker, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                blockedBy(admin, pid)
                val queued = async(Dispatchers.Default) { store.appendStream(other, Tck.events(1), ExpectedVersion.Any) }
                awaitQueued(1)
                val sharedCalls = List(2) { n -> async(Dispatchers.Default) { store.appendStream(shared, Tck.events(1, first = n + 1), ExpectedVersion.Any) } }
                // one of the two queues; the other runs alone and finishes while the only writer is still held
                val alone = withTimeout(30_000) { kotlinx.coroutines.selects.select { sharedCalls.forEach { c -> c.onAwait { it } } } }
                assertEquals(1, alone.nextExpectedVersion)
                assertEquals(2, store.engine.queuedAppends)
                locker.commit()
                held.await()
                assertEquals(1, queued.await().nextExpectedVersion)
                assertEquals(setOf(1L, 2L), sharedCalls.map { it.await().nextExpectedVersion }.toSet())
            }
        }
        assertEquals(1, groupStatements() - before, "the queued appends to two streams went out as one statement")
        val events = store.readStream(shared).toList()
        assertEquals(listOf(1L, 2L), events.map { it.streamVersion })
        assertTrue(events[0].position < events[1].position)
    }

    /**
     * Starts [appends] so that they form one group whose statement then waits on the row of [locked] (its
     * row locked on [lockerL]); returns the calls once that statement is blocked, and its pid.
     */
    private suspend fun CoroutineScope.groupBlockedOn(
        locked: TypeId,
        lockerL: Connection,
        admin: Connection,
        appends: List<suspend () -> AppendResult>,
    ): Pair<List<Deferred<Result<AppendResult>>>, Int> {
        val blocker = stream()
        val ds = TestDatabases.postgres()
        return ds.connection.use { lockerB ->
            val pidB = lock(lockerB, blocker)
            val pidL = lock(lockerL, locked)
            val held = async(Dispatchers.IO) { store.appendStream(blocker, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
            blockedBy(admin, pidB)
            val calls = appends.map { call -> async(Dispatchers.Default) { runCatching { call() } } }
            awaitQueued(appends.size)
            lockerB.commit()
            held.await()
            calls to blockedBy(admin, pidL)
        }
    }

    @Test
    fun `a connection lost during a group statement leaves every member's outcome unknown, and retries are idempotent`() = runBlocking {
        val locked = stream(1)
        val a = TypeId.new("co")
        val b = TypeId.new("co")
        val batchA = Tck.events(2)
        val batchB = Tck.events(1)
        val batchL = Tck.events(1, first = 2)
        val ds = TestDatabases.postgres()
        ds.connection.use { lockerL ->
            ds.connection.use { admin ->
                val (calls, victim) = groupBlockedOn(
                    locked, lockerL, admin,
                    listOf(
                        { store.appendStream(a, batchA, ExpectedVersion.NoStream) },
                        { store.appendStream(locked, batchL, ExpectedVersion.Exact(1)) },
                        { store.appendStream(b, batchB, ExpectedVersion.Any) },
                    ),
                )
                admin.prepareStatement("SELECT pg_terminate_backend(?)").use { it.setInt(1, victim); it.executeQuery().close() }
                for (call in calls) {
                    val failure = withTimeout(30_000) { call.await() }.exceptionOrNull()
                    assertIs<AppendOutcomeUnknownException>(failure, "got $failure")
                    assertTrue(failure.cause != null)
                }
                lockerL.rollback()
            }
        }
        assertEquals(1, store.readStream(locked).toList().size, "nothing of the group was stored")
        val retries = listOf(
            suspend { store.appendStream(a, batchA, ExpectedVersion.NoStream) },
            suspend { store.appendStream(locked, batchL, ExpectedVersion.Exact(1)) },
            suspend { store.appendStream(b, batchB, ExpectedVersion.Any) },
        )
        val first = retries.map { it() }
        assertEquals(listOf(2L, 2L, 1L), first.map { it.nextExpectedVersion })
        assertEquals(first, retries.map { it() }, "a second retry returns the same results")
    }

    @Test
    fun `a caller cancelled while queued writes nothing, one cancelled in a running group stops no one else`() = runBlocking {
        // cancelled while queued: leaves the queue unwritten
        val blocker = stream()
        val dropped = TypeId.new("co")
        val kept = TypeId.new("co")
        val ds = TestDatabases.postgres()
        ds.connection.use { locker ->
            ds.connection.use { admin ->
                val pid = lock(locker, blocker)
                val held = async(Dispatchers.IO) { store.appendStream(blocker, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) }
                blockedBy(admin, pid)
                val cancelled = async(Dispatchers.Default) { store.appendStream(dropped, Tck.events(1), ExpectedVersion.NoStream) }
                val other = async(Dispatchers.Default) { store.appendStream(kept, Tck.events(1), ExpectedVersion.NoStream) }
                awaitQueued(2)
                cancelled.cancel()
                awaitQueued(1)
                locker.commit()
                held.await()
                assertEquals(1, other.await().nextExpectedVersion)
                assertTrue(runCatching { cancelled.await() }.exceptionOrNull() is CancellationException)
            }
        }
        assertTrue(runCatching { store.readStream(dropped).toList() }.isFailure, "the cancelled queued append was not written")

        // cancelled while its group's statement runs: the others get their results
        val locked = stream(1)
        val a = TypeId.new("co")
        val c = TypeId.new("co")
        ds.connection.use { lockerL ->
            ds.connection.use { admin ->
                val (calls, _) = groupBlockedOn(
                    locked, lockerL, admin,
                    listOf(
                        { store.appendStream(a, Tck.events(1), ExpectedVersion.NoStream) },
                        { store.appendStream(c, Tck.events(1), ExpectedVersion.NoStream) },
                        { store.appendStream(locked, Tck.events(1, first = 2), ExpectedVersion.Exact(1)) },
                    ),
                )
                calls[1].cancel()
                assertTrue(runCatching { calls[1].await() }.exceptionOrNull() is CancellationException)
                lockerL.commit()
                assertEquals(1, withTimeout(30_000) { calls[0].await() }.getOrThrow().nextExpectedVersion)
                assertEquals(2, withTimeout(30_000) { calls[2].await() }.getOrThrow().nextExpectedVersion)
            }
        }
        assertEquals(1, store.readStream(c).toList().size, "an append already in a running group is written with it")
    }

    @Test
    fun `with coalescing off no append waits in a queue`() = runBlocking {
        val off = PostgresEventStore.create(recording.dataSource, options.toBuilder().coalesceAppends(false).build())
        val before = groupStatements()
        val results = List(16) { async(Dispatchers.Default) { off.appendStream(TypeId.new("co"), Tck.events(1), ExpectedVersion.NoStream) } }
            .map { it.await() }
        assertEquals(16, results.size)
        assertEquals(0, off.engine.queuedAppends)
        assertEquals(0, groupStatements() - before)
    }
}
