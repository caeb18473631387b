package dev.estoria.bench.scenario

import dev.estoria.bench.targets.Target

/** Reads one [events]-event stream (written by the target in 1,000-event appends) [passes] times. */
class ReadOne(private val events: Int, private val passes: Int) : Workload {
    override val id: String = "read-one"
    override val title: String = "read one %,d-event stream".format(events)
    override val appends: Boolean = false
    override val callers: List<Caller> = listOf(Caller.DEFAULT)

    override fun <K> bind(target: Target<K>): (Caller) -> Long {
        val stream = target.newStream()
        Caller.THREADS.run(1) {
            var version = 0L
            while (version < events) version = target.append(stream, version, minOf(1_000, events - version.toInt()))
        }
        return { caller ->
            var total = 0L
            caller.run(1) { repeat(passes) { total += target.read(stream) } }
            check(total == events.toLong() * passes) { "${target.role} read $total events, expected ${events.toLong() * passes}" }
            total
        }
    }
}

/** [readers] readers reading [streams] 10-event streams between them (each stream once per pass). */
class ReadMany(private val streams: Int, private val readers: Int) : Workload {
    override val id: String = "read-many-$readers"
    override val title: String = "%,d streams × 10 events, $readers reader%s".format(streams, if (readers == 1) "" else "s")
    override val appends: Boolean = false
    override val callers: List<Caller> = listOf(Caller.DEFAULT)

    override fun <K> bind(target: Target<K>): (Caller) -> Long {
        val ids = List(streams) { target.newStream() }
        Caller.THREADS.run(4) { w -> for (i in w until streams step 4) target.append(ids[i], 0, 10) }
        return { caller ->
            val counts = LongArray(readers)
            caller.run(readers) { r -> for (i in r until streams step readers) counts[r] += target.read(ids[i]).toLong() }
            val total = counts.sum()
            check(total == streams * 10L) { "${target.role} read $total events, expected ${streams * 10L}" }
            total
        }
    }
}
