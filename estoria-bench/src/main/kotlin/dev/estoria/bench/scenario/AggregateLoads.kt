package dev.estoria.bench.scenario

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.bench.BenchStores
import dev.estoria.bench.Payloads
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.id.TypeId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking

/**
 * Aggregate load time against stream length: the plain replay (the baseline), the load through
 * snapshots taken every 100 events, and a Caffeine cache hit in front of the snapshots (the cache
 * checks the stream for newer events on a hit, as configured by default). Streams are written through
 * the snapshotting store in saves of 100 events, so its snapshots are where an application's would be.
 */
class AggregateLoads(private val lengths: List<Int>, private val loads: Int, private val log: (String) -> Unit) {
    fun measure(backend: String, stores: BenchStores): List<AggregateResult> = runBlocking(Dispatchers.Default) {
        val replay = EventSourcedAggregateStore(stores.events, Tallies)
        val snapshotting = SnapshottingAggregateStore(replay, stores.snapshots, SnapshotPolicy.everyNEvents(100))
        val cache = CaffeineAggregateCache.builder<Tally>().maximumSize(1_000).build()
        val cached = CachingAggregateStore(snapshotting, cache)
        val modes = listOf("replay" to replay, "snapshots every 100" to snapshotting, "cache hit (Caffeine)" to cached)
        lengths.flatMap { length ->
            val id = write(snapshotting, length)
            val times = modes.associate { it.first to ArrayList<Double>() }
            for (round in 0..loads) {
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
}
