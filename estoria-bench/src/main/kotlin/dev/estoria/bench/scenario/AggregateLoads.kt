package dev.estoria.bench.scenario

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.bench.BenchStores
import dev.estoria.bench.Payloads
import dev.estoria.cache.AggregateCache
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.id.TypeId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking

/**
 * Aggregate load time against stream length: the plain replay (the baseline), the load through
 * snapshots taken every 100 events, and a cache hit in front of the snapshots, from Caffeine and from each
 * of [caches] (a hit reads the stream from the cached version to check it, as configured by default).
 * Streams are written through the snapshotting store in saves of 100 events, so its snapshots are where
 * an application's would be.
 *
 * Before the first length every mode loads a 100-event aggregate [WARM_UP_LOADS] times, unmeasured (the
 * first lengths would otherwise time the JIT). A length of at most [SHORT] events is loaded [SHORT_FACTOR]
 * times as often as [loads]: such loads take a millisecond or less, and a handful of them is all noise.
 */
class AggregateLoads(
    private val lengths: List<Int>,
    private val loads: Int,
    private val caches: List<Pair<String, AggregateCache<Tally>>>,
    private val log: (String) -> Unit,
) {
    fun measure(backend: String, stores: BenchStores): List<AggregateResult> = runBlocking(Dispatchers.Default) {
        val replay = EventSourcedAggregateStore(stores.events, Tallies)
        val snapshotting = SnapshottingAggregateStore(replay, stores.snapshots, SnapshotPolicy.everyNEvents(100))
        val caffeine = CaffeineAggregateCache.builder<Tally>().maximumSize(1_000).build()
        val modes = listOf("replay" to replay, "snapshots every 100" to snapshotting) +
            (listOf("Caffeine" to caffeine) + caches).map { (name, cache) -> "cache hit ($name)" to CachingAggregateStore(snapshotting, cache) }
        val warmUp = write(snapshotting, 100)
        for ((_, store) in modes) repeat(WARM_UP_LOADS) { store.load(warmUp) }
        lengths.flatMap { length ->
            val id = write(snapshotting, length)
            val times = modes.associate { it.first to ArrayList<Double>() }
            val rounds = if (length <= SHORT) loads * SHORT_FACTOR else loads
            for (round in 0..rounds) {
                for ((mode, store) in if (round % 2 == 0) modes else modes.reversed()) {
                    val t0 = System.nanoTime()
                    val loaded = store.load(id)
                    val ms = (System.nanoTime() - t0) / 1e6
                    check(loaded.version == length.toLong() && loaded.state.count == length.toLong()) { "$mode loaded ${loaded.version} of $length" }
                    if (round > 0) times.getValue(mode) += ms
                }
            }
            val base = Spread.of(times.getValue("replay")).median
            modes.map { (mode, _) ->
                val s = Spread.of(times.getValue(mode))
                AggregateResult(backend, mode, length, s, s.median / base).also {
                    log("  aggregate load, %,7d events, %-22s %9.3f ms (%.3f–%.3f), %.3f of the replay".format(length, mode, s.median, s.min, s.max, it.vsReplay))
                }
            }
        }
    }

    private suspend fun write(store: AggregateStore<Tally>, length: Int): TypeId {
        val aggregate = store.new()
        Payloads.metadata.forEach { (k, v) -> aggregate.putMetadata(k, v) }
        var written = 0
        while (written < length) {
            repeat(minOf(100, length - written)) { aggregate.append(Counted(1, countedNote)) }
            written += aggregate.pendingEvents.size
            store.save(aggregate)
        }
        return aggregate.id
    }

    companion object {
        /** Unmeasured loads of a 100-event aggregate per mode before the first length. */
        const val WARM_UP_LOADS = 50

        /** Lengths up to this many events are loaded [SHORT_FACTOR] times as often. */
        const val SHORT = 1_000

        /** How many more loads a short length gets. */
        const val SHORT_FACTOR = 10
    }
}
