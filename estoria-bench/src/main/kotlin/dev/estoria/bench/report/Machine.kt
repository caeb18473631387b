package dev.estoria.bench.report

import java.io.File
import java.lang.management.ManagementFactory

/**
 * The machine's noise over a run: CPU (in cores, averaged over the wall time) used by the whole machine
 * (from /proc/stat), by this process, by its child processes (the embedded PostgreSQL server), and by
 * everything else, which is the noise; plus load average, core count and JDK.
 */
class Machine private constructor(private val busy0: Long?, private val self0: Long, private val children0: Long, private val wall0: Long) {
    data class Noise(
        val wallSeconds: Double,
        val machineCores: Double?,
        val benchCores: Double,
        val serverCores: Double,
        val otherCores: Double?,
        val loadAverage: Double,
        val cores: Int,
        val jdk: String,
    )

    fun finish(): Noise {
        val wall = (System.nanoTime() - wall0) / 1e9
        val busy = busyNanos()?.let { b -> busy0?.let { (b - it) / 1e9 / wall } }
        val self = (selfNanos() - self0) / 1e9 / wall
        val children = (childrenNanos() - children0) / 1e9 / wall
        return Noise(
            wall, busy, self, children, busy?.let { maxOf(0.0, it - self - children) },
            ManagementFactory.getOperatingSystemMXBean().systemLoadAverage,
            Runtime.getRuntime().availableProcessors(),
            "${System.getProperty("java.vm.name")} ${System.getProperty("java.runtime.version")}",
        )
    }

    companion object {
        private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

        fun start(): Machine = Machine(busyNanos(), selfNanos(), childrenNanos(), System.nanoTime())

        private fun selfNanos(): Long = os.processCpuTime

        /** CPU of this process's descendants still alive (the embedded database and its backends). */
        private fun childrenNanos(): Long =
            ProcessHandle.current().descendants().mapToLong { p -> p.info().totalCpuDuration().map { it.toNanos() }.orElse(0L) }.sum()

        /** Busy CPU of the whole machine since boot (all cores, user+nice+system+irq+softirq+steal), or null off Linux. */
        private fun busyNanos(): Long? = runCatching {
            val f = File("/proc/stat").useLines { it.first() }.trim().split(Regex("\\s+")).drop(1).map { it.toLong() }
            val jiffies = f.take(8).sum() - f[3] - f[4] // minus idle and iowait
            jiffies * 10_000_000L // USER_HZ = 100
        }.getOrNull()
    }
}
