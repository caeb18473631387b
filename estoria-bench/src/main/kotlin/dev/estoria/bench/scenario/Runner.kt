package dev.estoria.bench.scenario

import dev.estoria.bench.targets.Target

/**
 * Measures throughput workloads: each target is bound (prepared) once, then one warm-up round and
 * [rounds] measured rounds run every target back to back, the order reversed every other round, so the
 * store and its baselines see the same noise in slices; a ratio is taken per round and its median and
 * spread are reported. Client CPU is this process's CPU time over the target's pass, per event, without
 * the JIT compiler's ([ClientCpu]); server CPU is the CPU of the database server this run started over the
 * same pass (`serverCpu`, [dev.estoria.bench.ServerCpu]), where the backend has one. [warmUp] runs passes that are not measured at all.
 */
class Runner(private val rounds: Int, private val log: (String) -> Unit) {
    private class Pass(val rate: Double, val cpuPerEvent: Double, val serverCpuPerEvent: Double?)

    fun measure(backend: String, workload: Workload, store: Target<*>, baselines: List<Target<*>>, serverCpu: (() -> Long?)? = null): List<ThroughputResult> {
        val targets = listOf(store) + baselines
        val bound = targets.associateWith { it.bindAny(workload) }
        return workload.callers.map { caller ->
            val started = System.nanoTime()
            val passes = targets.associateWith { ArrayList<Pass>() }
            for (round in 0..rounds) {
                val order = if (round % 2 == 0) targets else targets.reversed()
                for (t in order) {
                    val pass = run(bound.getValue(t), if (t === store) caller else Caller.THREADS, serverCpu)
                    if (round > 0) passes.getValue(t) += pass
                }
            }
            val ratios = baselines.associate { b ->
                b.role to Spread.of(passes.getValue(store).zip(passes.getValue(b)) { s, r -> s.rate / r.rate })
            }
            val roles = targets.map { t ->
                val p = passes.getValue(t)
                val server = p.mapNotNull { it.serverCpuPerEvent }.takeIf { it.size == p.size }?.let { Spread.of(it) }
                RoleFigures(t.role, Spread.of(p.map { it.rate }), Spread.of(p.map { it.cpuPerEvent }), server)
            }
            ThroughputResult(backend, workload.id, workload.title, caller.label, workload.appends, roles, ratios).also { r ->
                val seconds = (System.nanoTime() - started) / 1e9
                log("  %-58s %-8s %s  [%.0f s]".format(r.title, r.caller, r.ratios.entries.joinToString("  ") { (k, v) -> "store/$k %.2f (%.2f–%.2f)".format(v.median, v.min, v.max) }, seconds))
            }
        }
    }

    /**
     * Runs every target of [workloads] (the store from each of its callers) until [seconds] have passed, at
     * least once, measuring nothing: the JIT compiles the store's, the baselines' and the driver's paths before
     * the first measured round (without it the first section of a run was measured colder than the next).
     */
    fun warmUp(workloads: List<Workload>, store: Target<*>, baselines: List<Target<*>>, seconds: Int) {
        val until = System.nanoTime() + seconds * 1_000_000_000L
        val targets = listOf(store) + baselines
        val bound = workloads.map { w -> w to targets.associateWith { it.bindAny(w) } }
        do {
            for ((w, passes) in bound) for (caller in w.callers) for (t in targets) passes.getValue(t)(if (t === store) caller else Caller.THREADS)
        } while (System.nanoTime() < until)
    }

    /** One timed pass; the server's CPU is read outside the client's CPU and the timed interval (it scans processes). */
    private fun run(pass: (Caller) -> Long, caller: Caller, serverCpu: (() -> Long?)?): Pass {
        val server0 = serverCpu?.invoke()
        val cpu0 = ClientCpu.nanos()
        val t0 = System.nanoTime()
        val events = pass(caller)
        val nanos = System.nanoTime() - t0
        val cpu = ClientCpu.nanos() - cpu0
        val server = server0?.let { s0 -> serverCpu.invoke()?.let { (it - s0) / 1e3 / events } }
        return Pass(events * 1e9 / nanos, cpu / 1e3 / events, server)
    }

    private fun <K> Target<K>.bindAny(workload: Workload): (Caller) -> Long = workload.bind(this)
}
