package dev.estoria.bench.scenario

import dev.estoria.bench.targets.Conflict
import dev.estoria.bench.targets.Target

/** One writer appending [count] batches of [size] events to one new stream, each `Exact` on the last. */
class Sequential(override val id: String, override val title: String, private val size: Int, private val count: Int) : Workload {
    override val appends: Boolean = true
    override val callers: List<Caller> = listOf(Caller.DEFAULT)

    override fun <K> bind(target: Target<K>): (Caller) -> Long = { caller ->
        val stream = target.newStream()
        caller.run(1) {
            var version = 0L
            repeat(count) { version = target.append(stream, version, size) }
        }
        count.toLong() * size
    }
}

/** [writers] writers, each appending [perWriter] single events to its own new stream, each `Exact`. */
class DistinctStreams(private val writers: Int, private val perWriter: Int) : Workload {
    override val id: String = "distinct-$writers"
    override val title: String = "1 event, $writers writers, distinct streams"
    override val appends: Boolean = true
    override val callers: List<Caller> = allCallers

    override fun <K> bind(target: Target<K>): (Caller) -> Long = { caller ->
        caller.run(writers) {
            val stream = target.newStream()
            var version = 0L
            repeat(perWriter) { version = target.append(stream, version, 1) }
        }
        writers.toLong() * perWriter
    }
}

/**
 * [writers] writers racing on ONE stream, each appending single events with `Exact` until [perWriter]
 * succeeded, taking the stream's version from each conflict (most attempts conflict). Counts successes.
 */
class OneStream(private val writers: Int, private val perWriter: Int) : Workload {
    override val id: String = "one-stream-$writers"
    override val title: String = "$writers writers on one stream, Exact + retry (successes)"
    override val appends: Boolean = true
    override val callers: List<Caller> = allCallers

    override fun <K> bind(target: Target<K>): (Caller) -> Long = { caller ->
        val stream = target.newStream()
        caller.run(writers) {
            var version = 0L
            var done = 0
            while (done < perWriter) {
                try {
                    version = target.append(stream, version, 1)
                    done++
                } catch (e: Conflict) {
                    version = e.actual
                }
            }
        }
        writers.toLong() * perWriter
    }
}
