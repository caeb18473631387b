package dev.estoria.projection.internal

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.EstoriaException
import dev.estoria.error.LeaseLostException
import dev.estoria.error.ProjectionFailedException
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.eventstore.GlobalReader
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionLag
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration
import kotlin.time.TimeMark
import kotlin.time.TimeSource
import kotlin.time.toKotlinDuration

/**
 * The loop of a projection of several partitions: claims a fair share of the partitions' leases (when leased;
 * all of them otherwise), reads the log once from the lowest checkpoint it owns and commits each owned
 * partition's events with that partition's checkpoint and lease; rebalances every acquire interval.
 */
internal class PartitionedEngine(
    private val projection: Projection,
    private val reader: GlobalReader,
    private val checkpoints: CheckpointStore,
    private val options: ProjectionOptions,
) : Engine {
    private val name = projection.checkpointName
    private val count = projection.partitions
    private val listener = options.listener
    private val leases = options.leases
    private val committer = options.committer ?: DirectCommitter(checkpoints, leases)
    private val stopRequested = MutableStateFlow(false)
    private val failure = MutableStateFlow<Throwable?>(null)
    private val caught = MutableStateFlow(false)
    private val lowest = MutableStateFlow(0L)
    private val commits = MutableStateFlow(0L)
    private val ownedFlow = MutableStateFlow<Set<Int>>(emptySet())

    /** The leases of the partitions this instance owns (the renewer replaces them, and drops lost ones). */
    private val held = ConcurrentHashMap<Int, Lease>()

    /** The loaded checkpoint of each owned partition (`null`: none saved); only the loop touches it. */
    private val loaded = HashMap<Int, Long?>()

    /** The local checkpoint of every partition committed or loaded here, for [awaitPosition]. */
    private val known = ConcurrentHashMap<Int, Long>()

    @Volatile
    private var member: Lease? = null

    /** The next idle wait (doubles while idle, reset by a non-empty read); only the loop touches it. */
    private var idle = options.idleMinBackoff

    override val caughtUp: StateFlow<Boolean> = caught.asStateFlow()
    override val position: StateFlow<Long> = lowest.asStateFlow()

    /** The partitions this instance owns now. */
    val owned: StateFlow<Set<Int>> = ownedFlow.asStateFlow()

    override fun requestStop() {
        stopRequested.value = true
    }

    override suspend fun run() {
        try {
            coroutineScope {
                val renewer = if (leases != null) launch { renew(leases) } else null
                publishOwned()
                var lastRebalance: TimeMark? = null
                while (!stopRequested.value) {
                    if (leases != null && (lastRebalance?.elapsedNow() ?: Duration.INFINITE) >= options.acquireInterval.toKotlinDuration()) {
                        rebalance(leases)
                        lastRebalance = TimeSource.Monotonic.markNow()
                    }
                    val owned = owned()
                    if (owned.isEmpty()) idleWait(options, stopRequested, options.acquireInterval, null) else step(owned)
                }
                renewer?.cancel()
            }
            if (leases != null) releaseAll(leases)
        } catch (e: Throwable) {
            if (e !is CancellationException) failure.value = e
            throw e
        }
    }

    private fun owned(): List<Int> =
        if (leases == null) (0 until count).toList() else held.keys.sorted().also { keys -> loaded.keys.retainAll(keys.toSet()) }

    private fun publishOwned() {
        ownedFlow.value = if (leases == null) (0 until count).toSet() else held.keys.toSet()
    }

    /** Reads one batch after the lowest owned checkpoint and commits it partition by partition. */
    private suspend fun step(owned: List<Int>) {
        for (p in owned) if (p !in loaded) loaded[p] = checkpoints.load(projection.partitionName(p)).also { if (it != null) known[p] = it }
        val from = owned.minOf { loaded[it] ?: 0L }
        lowest.value = from
        val seen = options.wakeUp?.signals?.value
        val batch = reader.readAll(from, options.batchSize).toList()
        if (batch.isEmpty()) {
            if (!caught.value) {
                caught.value = true
                listener.caughtUp(name, from)
            }
            reportFrontier(reader, listener, name)
            // a rebalance is due every acquire interval, even while idle
            idleWait(options, stopRequested, if (leases == null) idle else minOf(idle, options.acquireInterval), seen)
            idle = minOf(idle.multipliedBy(2), options.idleMaxBackoff)
            return
        }
        idle = options.idleMinBackoff
        val end = batch.last().globalPosition ?: from
        val byPartition = batch.groupBy { projection.partitionOf(it.streamId) }
        for (p in owned) {
            val previous = loaded[p]
            if ((previous ?: 0L) >= end) continue
            val lease = if (leases == null) null else (held[p] ?: continue)
            val events = byPartition[p].orEmpty().filter { (it.globalPosition ?: 0L) > (previous ?: 0L) }
            commitPartition(p, lease, previous, end, events)
        }
        lowest.value = owned.minOf { loaded[it] ?: known[it] ?: 0L }
        if (listener !== ProjectionListener.NONE) listener.lag(name, lag())
        val full = batch.size >= options.batchSize
        if (!full && !caught.value) {
            caught.value = true
            listener.caughtUp(name, lowest.value)
        } else if (full) {
            caught.value = false
        }
    }

    private suspend fun commitPartition(p: Int, lease: Lease?, previous: Long?, end: Long, events: List<Event>) {
        val partitionName = projection.partitionName(p)
        val applied = ArrayList<Event>()
        var stopped: ProjectionFailedException? = null
        var position: Long? = null
        try {
            committer.commit(partitionName, previous, lease) {
                applied.clear()
                stopped = null
                position = end
                for (event in events) {
                    stopped = applyWithPolicy(projection, listener, partitionName, event)
                    if (stopped != null) {
                        position = (event.globalPosition ?: 1L) - 1
                        break
                    }
                    applied += event
                }
                position?.takeIf { it > (previous ?: 0L) }
            }
        } catch (e: EstoriaException) {
            if (lease == null || (e !is LeaseLostException && e !is CheckpointConflictException)) throw e
            listener.commitRejected(partitionName, e)
            lose(p, lease, e)
            return
        }
        val committed = position?.takeIf { it > (previous ?: 0L) }
        if (committed != null) {
            loaded[p] = committed
            known[p] = committed
            commits.value++
            listener.batchCommitted(partitionName, applied.toList(), committed)
        }
        stopped?.let { throw it }
    }

    /** Drops a partition whose fenced commit was refused (reported once: the renewer may have dropped it first). */
    private fun lose(p: Int, lease: Lease, cause: EstoriaException) {
        loaded.remove(p)
        caught.value = false
        if (held[p]?.epoch == lease.epoch && held.remove(p) != null) {
            publishOwned()
            listener.partitionLost(name, p, lease, cause)
        }
    }

    /** Takes the fair share: `ceil(partitions / live instances)`; releases the excess, claims free partitions. */
    private suspend fun rebalance(leases: LeaseStore) {
        val current = try {
            ensureMember(leases)
            leases.leases(Partitioning.prefix(name))
        } catch (e: StoreException) {
            listener.acquireFailed(name, e)
            return
        }
        val memberPrefix = Partitioning.memberPrefix(name)
        val members = current.filter { it.held && it.name.startsWith(memberPrefix) }.map { it.owner }.toSet() + options.owner
        val share = (count + members.size - 1) / members.size
        val mine = held.keys.sorted()
        if (mine.size > share) {
            for (p in mine.takeLast(mine.size - share)) {
                val lease = held.remove(p) ?: continue
                loaded.remove(p)
                publishOwned()
                leases.release(lease)
                listener.partitionReleased(name, p, lease)
            }
            return
        }
        val taken = current.filter { it.held && it.owner != options.owner }.map { it.name }.toSet()
        var missing = share - mine.size
        val start = Partitioning.partitionOf(options.owner, count)
        for (i in 0 until count) {
            if (missing <= 0 || stopRequested.value) break
            val p = (start + i) % count
            val partitionName = projection.partitionName(p)
            if (held.containsKey(p) || partitionName in taken) continue
            val lease = try {
                leases.tryAcquire(partitionName, options.owner, options.leaseDuration)
            } catch (e: StoreException) {
                listener.acquireFailed(partitionName, e)
                null
            } ?: continue
            held[p] = lease
            loaded.remove(p)
            caught.value = false
            publishOwned()
            missing--
            listener.partitionClaimed(name, p, lease)
        }
    }

    private suspend fun ensureMember(leases: LeaseStore) {
        if (member != null) return
        member = leases.tryAcquire(Partitioning.memberName(name, options.owner), options.owner, options.leaseDuration)
    }

    /** Renews the member lease and every partition lease each renew interval; a lost partition is dropped. */
    private suspend fun renew(leases: LeaseStore) {
        while (true) {
            delay(options.renewInterval.toMillis())
            member?.let { m ->
                member = try {
                    leases.renew(m, options.leaseDuration)
                } catch (e: LeaseLostException) {
                    null
                }
            }
            for ((p, lease) in held.entries.toList()) {
                try {
                    val renewed = leases.renew(lease, options.leaseDuration)
                    held.replace(p, lease, renewed)
                } catch (e: LeaseLostException) {
                    if (held.remove(p, lease)) {
                        publishOwned()
                        listener.partitionLost(name, p, lease, e)
                    }
                }
            }
        }
    }

    private suspend fun releaseAll(leases: LeaseStore) {
        for ((p, lease) in held.entries.sortedBy { it.key }) {
            leases.release(lease)
            listener.partitionReleased(name, p, lease)
        }
        held.clear()
        publishOwned()
        member?.let { leases.release(it) }
        member = null
    }

    override suspend fun awaitPosition(target: Long) = awaitReached(options, failure, commits) {
        (0 until count).all { p -> (known[p] ?: -1L) >= target || (checkpoints.load(projection.partitionName(p)) ?: 0L) >= target }
    }

    override suspend fun lag(): ProjectionLag = lagAfter(reader, options, lowest.value)
}
