package dev.estoria.jdbc.internal

import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.ContinuationInterceptor

/**
 * An append waiting for, or written by, a coalesced statement. The writer records its outcome ([complete],
 * [fail]) while it holds the group's connection, and hands it to the caller with [release] once the
 * connection is back in the pool.
 */
internal class PendingAppend(
    val streamId: TypeId,
    val batch: List<WritableEvent>,
    encoded: List<EncodedEvent>,
    expected: ExpectedVersion,
) {
    val member = GroupMember(streamId.toString(), encoded, expected)

    /** The outcome recorded by the writer, not yet released; only the writer touches it. */
    private var outcome: Result<AppendResult>? = null

    /** `null` (caller running), the suspended caller's continuation, or the released outcome. */
    private val state = AtomicReference<Any?>(null)

    /**
     * Runs just before the outcome is released (the coalescer frees the stream there, so that the caller's
     * next append to it, issued as soon as it resumes, can queue again).
     */
    var onSettled: () -> Unit = {}

    /** Records [block]'s value as the outcome, or its failure as the store reports it. */
    inline fun complete(block: () -> AppendResult) {
        val value = try {
            block()
        } catch (e: Exception) {
            fail(e)
            return
        }
        record(Result.success(value))
    }

    /** Records [e] as the outcome, typed as a direct append would report it (driver failures as [dev.estoria.error.StoreException]). */
    fun fail(e: Throwable) {
        record(Result.failure(storeFailure("append", streamId, e)))
    }

    /** Keeps the first outcome recorded (a group that fails after deciding some members leaves theirs). */
    fun record(result: Result<AppendResult>) {
        if (outcome == null) outcome = result
    }

    /**
     * Hands the recorded outcome to the caller. A caller suspended on `Dispatchers.Default` is resumed right
     * here when [inPlace] (the writer runs on `Dispatchers.IO`): it runs on this thread until its next
     * suspension, as after the hand-over of [blockingCall], and its next append usually queues for the
     * writer's next group. Its store calls still dispatch (this thread is not handed over to it), so none of
     * them blocks the writer. A caller on `Dispatchers.IO` is dispatched as before: resumed here, its store
     * calls would run in place and hold up the callers not yet resumed. Any other caller is dispatched too;
     * a caller cancelled meanwhile ignores the outcome.
     */
    @OptIn(ExperimentalCoroutinesApi::class)
    fun release(inPlace: Boolean) {
        val result = outcome ?: Result.failure(IllegalStateException("no outcome was recorded for the append to $streamId"))
        onSettled()
        val waiter = state.getAndSet(result)
        if (waiter !is CancellableContinuation<*>) return
        @Suppress("UNCHECKED_CAST")
        val caller = waiter as CancellableContinuation<AppendResult>
        val interceptor = caller.context[ContinuationInterceptor]
        if (inPlace && interceptor === Dispatchers.Default) {
            with(caller) {
                result.fold({ interceptor.resumeUndispatched(it) }, { interceptor.resumeUndispatchedWithException(it) })
            }
        } else {
            caller.resumeWith(result)
        }
    }

    /** Suspends until [release]; [onCancel] runs when the caller is cancelled while it waits. */
    suspend fun await(onCancel: () -> Unit): AppendResult {
        state.get()?.let { return released(it) }
        return suspendCancellableCoroutine { caller ->
            if (state.compareAndSet(null, caller)) {
                caller.invokeOnCancellation { onCancel() }
            } else {
                caller.resumeWith(resultOf(state.get()))
            }
        }
    }

    private fun released(value: Any): AppendResult = resultOf(value).getOrThrow()

    @Suppress("UNCHECKED_CAST")
    private fun resultOf(value: Any?): Result<AppendResult> = value as Result<AppendResult>
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
 * is empty, so an idle store holds no thread and no connection. On `Dispatchers.IO` (the default) a writer
 * resumes the group's callers on `Dispatchers.Default` itself, one after the other, once its connection is
 * back ([PendingAppend.release]): each runs to its next suspension, usually its next append, which queues
 * (while a writer resumes its callers no append runs directly), so the next group holds the appends of every
 * caller the last one released, and none costs a dispatch back to `Default`.
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

    /** Whether writers resume their callers on their own thread (see [PendingAppend.release]). */
    private val inPlace = dispatcher === Dispatchers.IO

    private val lock = Any()
    private val queue = ArrayDeque<PendingAppend>()
    private var active = 0

    /**
     * Writers resuming their group's callers now. Meanwhile every append queues (none runs directly, no
     * writer starts): the releasing writer takes the queue as its next group once it resumed them all, so
     * the appends of one group's callers stay together instead of the first running alone.
     */
    private var releasing = 0

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
                queue.isEmpty() && active < writers && releasing == 0 -> Route.DIRECT.also { active++ }
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
                return append.await {
                    synchronized(lock) { if (queue.remove(append)) busy.remove(append.streamId, append) }
                }
            }
        }
    }

    private fun startWriterIfQueued() {
        val start = synchronized(lock) {
            (queue.isNotEmpty() && active < writers && releasing == 0).also { if (it) active++ }
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
                if (e is CancellationException) {
                    for (member in group) member.release(inPlace = false)
                    throw e
                }
            }
            // after the connection went back: the callers resumed here issue their next appends at once
            synchronized(lock) { releasing++ }
            try {
                for (member in group) member.release(inPlace)
            } finally {
                synchronized(lock) { releasing-- }
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
