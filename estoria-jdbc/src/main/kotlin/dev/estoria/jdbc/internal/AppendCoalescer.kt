package dev.estoria.jdbc.internal

import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/** An append waiting for, or written by, a coalesced statement; [result] completes with its own outcome. */
internal class PendingAppend(
    val streamId: TypeId,
    val batch: List<WritableEvent>,
    encoded: List<EncodedEvent>,
    expected: ExpectedVersion,
) {
    val member = GroupMember(streamId.toString(), encoded, expected)
    val result = CompletableDeferred<AppendResult>()

    /**
     * Runs just before [result] completes (the coalescer frees the stream there, so that the caller's next
     * append to it, issued as soon as it resumes, can queue again).
     */
    var onSettled: () -> Unit = {}

    /** Completes [result] with [block]'s value, or with its failure as the store reports it. */
    inline fun complete(block: () -> AppendResult) {
        val value = try {
            block()
        } catch (e: Exception) {
            fail(e)
            return
        }
        onSettled()
        result.complete(value)
    }

    /** Completes [result] with [e], typed as a direct append would report it (driver failures as [dev.estoria.error.StoreException]). */
    fun fail(e: Throwable) {
        onSettled()
        result.completeExceptionally(storeFailure("append", streamId, e))
    }
}

/**
 * Coalesces concurrent appends: at most [writers] append statements run at once; appends that arrive while
 * they all run queue, and the next free writer takes the queue and writes it as ONE statement and one
 * commit ([Dialect.insertGroup]), each append under its own expected version and with its own outcome.
 *
 * Nothing ever waits on a timer: an append that finds a writer free and nothing queued runs at once, in
 * the caller's coroutine (as without coalescing: cancelling it cancels its statement), and a group is only
 * what queued behind the statements in flight. A queued append whose caller is cancelled leaves the queue
 * unwritten; once taken into a group it is written with the others (the cancelled caller sees the
 * cancellation, the others their results). The coalescer holds at most one append per stream: another
 * append to that stream runs alone beside it, so appends to one stream are never in the same group and
 * per-stream order is decided by the stream row's compare-and-set as for appends that run alone.
 *
 * Queued groups are written by coroutines of a store-owned scope on [dispatcher]; each ends when the queue
 * is empty, so an idle store holds no thread and no connection.
 */
internal class AppendCoalescer(
    private val runner: JdbcRunner,
    dispatcher: CoroutineDispatcher,
    private val writers: Int,
    /** Writes one append alone on a session (the uncoalesced path). */
    private val writeOne: (Session, PendingAppend) -> AppendResult,
    /** Writes a group of two or more appends on a session, completing each member's result. */
    private val writeGroup: (Session, List<PendingAppend>) -> Unit,
) {
    private val scope = CoroutineScope(SupervisorJob() + dispatcher + CoroutineName("estoria-append-writer"))
    private val lock = Any()
    private val queue = ArrayDeque<PendingAppend>()
    private var active = 0

    /** Appends queued now (tests wait on it to build a group deterministically). */
    internal val queued: Int get() = synchronized(lock) { queue.size }

    /** Streams with an append of this coalescer running or queued: at most one each. */
    private val busy = HashMap<TypeId, PendingAppend>()

    /** Frees [append]'s stream, unless a later append of that stream holds it already. */
    private fun settle(append: PendingAppend) {
        synchronized(lock) { busy.remove(append.streamId, append) }
    }

    private enum class Route { DIRECT, QUEUED, ALONE }

    /**
     * Writes [append]: at once in the caller when a writer is free and nothing queued; with the appends
     * queued beside it when all writers are busy; alone, outside the coalescer, when an append to its stream
     * is already running or queued (writers racing on one stream gain nothing from a queue that writes one
     * append per stream per statement, and would wait behind each other's conflicts).
     */
    suspend fun append(append: PendingAppend): AppendResult {
        val route = synchronized(lock) {
            when {
                busy.putIfAbsent(append.streamId, append) != null -> Route.ALONE
                queue.isEmpty() && active < writers -> Route.DIRECT.also { active++ }
                else -> Route.QUEUED.also {
                    append.onSettled = { settle(append) }
                    queue.addLast(append)
                }
            }
        }
        when (route) {
            Route.ALONE -> return runner.withSession { s -> writeOne(s, append) }
            Route.DIRECT -> try {
                return runner.withSession { s -> writeOne(s, append) }
            } finally {
                synchronized(lock) {
                    active--
                    busy.remove(append.streamId, append)
                }
                startWriterIfQueued()
            }
            Route.QUEUED -> {
                startWriterIfQueued()
                try {
                    return append.result.await()
                } catch (e: CancellationException) {
                    synchronized(lock) { if (queue.remove(append)) busy.remove(append.streamId, append) }
                    throw e
                }
            }
        }
    }

    private fun startWriterIfQueued() {
        val start = synchronized(lock) {
            (queue.isNotEmpty() && active < writers).also { if (it) active++ }
        }
        if (start) scope.launch { drain() }
    }

    /** Writes groups until the queue is empty; the slot is given back in the same step that found it empty. */
    private suspend fun drain() {
        while (true) {
            val group = synchronized(lock) { takeGroup().also { if (it.isEmpty()) active-- } }
            if (group.isEmpty()) return
            try {
                runner.withSession { s ->
                    if (group.size == 1) group[0].complete { writeOne(s, group[0]) } else writeGroup(s, group)
                }
            } catch (e: Throwable) {
                // no connection, or the store closed: nothing of the group was sent
                for (member in group) member.fail(e)
                if (e is CancellationException) throw e
            } finally {
                for (member in group) settle(member)
            }
        }
    }

    /** Removes and returns the next group: queued appends in order (one per stream: see [busy]) within the size limits. */
    private fun takeGroup(): List<PendingAppend> {
        val group = ArrayList<PendingAppend>()
        var events = 0
        while (group.size < MAX_MEMBERS) {
            val next = queue.firstOrNull() ?: break
            if (group.isNotEmpty() && events + next.batch.size > MAX_EVENTS) break
            group += queue.removeFirst()
            events += next.batch.size
        }
        return group
    }

    internal companion object {
        /** Largest append that is coalesced; larger ones run alone (their statement is already large). */
        const val MAX_COALESCED_BATCH = 100

        /** Appends per group statement. */
        const val MAX_MEMBERS = 256

        /** Events per group statement. */
        const val MAX_EVENTS = 1000
    }
}
