package dev.estoria.reliability

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.cache.AggregateCache
import dev.estoria.error.AggregateNotFoundException
import dev.estoria.error.EventGapException
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import kotlin.random.Random

/**
 * Random updates, loads, deletes, re-creations and truncations of a few aggregates, each load through
 * the stack compared with what the stream holds: a load returns the stream's current state, or (only
 * after a truncation removed events the state needs) fails with EventGapException; never another state.
 */
object LayersChurn {
    private class Model(val id: TypeId) {
        var amounts = mutableListOf<Long>()
        var truncated = false
        val version: Long get() = amounts.size.toLong()
        val value: Long get() = amounts.sum()
    }

    /** The stacks the churn runs through, over one snapshot store and cache. */
    fun stacks(events: EventStore, snapshots: SnapshotStore, cache: AggregateCache<TckCounter>): Map<String, AggregateStore<TckCounter>> {
        fun plain() = EventSourcedAggregateStore(events, TckCounter.definition)
        return mapOf(
            "snapshotting" to SnapshottingAggregateStore(plain(), snapshots, SnapshotPolicy.everyNEvents(2)),
            "caching" to CachingAggregateStore(plain(), cache),
            "canonical" to HookableAggregateStore(CachingAggregateStore(SnapshottingAggregateStore(plain(), snapshots, SnapshotPolicy.everyNEvents(2)), cache)) {
                beforeSave { it.putMetadata("rel_hook", "ran") }
            },
        )
    }

    suspend fun <E> run(events: E, stacks: Map<String, AggregateStore<TckCounter>>, operations: Int, tally: Tally) where E : EventStore, E : StreamDeleter {
        val plain = EventSourcedAggregateStore(events, TckCounter.definition)
        for ((name, stack) in stacks) {
            val random = Random(name.hashCode())
            val models = List(4) { Model(TypeId.new(TckCounter.TYPE)) }
            suspend fun recreate(m: Model, count: Int) {
                val a = plain.new(m.id)
                val amounts = List(count) { 1L + random.nextInt(1000) }
                for (x in amounts) a.append(TckCounter.Added(x))
                plain.save(a)
                m.amounts = amounts.toMutableList()
                m.truncated = false
            }
            for (m in models) recreate(m, 1 + random.nextInt(5))
            repeat(operations) {
                val m = models[random.nextInt(models.size)]
                tally.cases.incrementAndGet()
                when (random.nextInt(10)) {
                    in 0..2 -> if (!m.truncated && m.version > 0) {
                        val x = 1L + random.nextInt(1000)
                        stack.update(m.id) { listOf(TckCounter.Added(x)) }
                        m.amounts += x
                        tally.note("updates through the stack")
                    }
                    3 -> if (m.version > 0) {
                        events.delete(m.id)
                        tally.faults.incrementAndGet()
                        tally.note("deletes")
                        m.amounts = mutableListOf()
                        m.truncated = false
                        if (random.nextBoolean()) { recreate(m, 1 + random.nextInt(8)); tally.note("re-creations") }
                    } else {
                        recreate(m, 1 + random.nextInt(8))
                        tally.note("re-creations")
                    }
                    4 -> if (m.version > 1 && !m.truncated) {
                        events.delete(m.id, 1 + random.nextLong(m.version - 1))
                        tally.faults.incrementAndGet()
                        tally.note("truncations")
                        m.truncated = true
                    }
                    else -> {
                        val outcome = runCatching { stack.load(m.id) }
                        val e = outcome.exceptionOrNull()
                        val loaded = outcome.getOrNull()
                        val right = when {
                            m.version == 0L -> e is AggregateNotFoundException
                            loaded != null -> loaded.version == m.version && loaded.state.value == m.value
                            else -> m.truncated && e is EventGapException
                        }
                        tally.note(if (loaded != null) "loads returning a state" else "loads failing with ${e?.javaClass?.simpleName}")
                        tally.eventsChecked.addAndGet(loaded?.version ?: 0)
                        if (!right) {
                            tally.note("states the stream does not have")
                            println("[reliability] $name: ${m.id} at ${m.version} (value ${m.value}, truncated ${m.truncated}) loaded as ${loaded?.version}/${loaded?.state?.value} $e")
                        }
                    }
                }
            }
        }
    }
}
