package dev.estoria.bench.report

import dev.estoria.bench.ProcStat
import dev.estoria.bench.ServerCpu
import java.io.File
import java.lang.management.ManagementFactory

/**
 * The machine's noise over a run: CPU (in cores, averaged over the wall time) used by the whole machine
 * (from /proc/stat), by this process, by the database servers it started ([ServerCpu]), and by everything
 * else, which is the noise; plus load average, core count and JDK.
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

        /** CPU of the database servers this run started ([ServerCpu]), 0 while there is none. */
        private fun childrenNanos(): Long = ServerCpu.allNanos()

        /** Busy CPU of the whole machine since boot (all cores, user+nice+system+irq+softirq+steal), or null off Linux. */
        private fun busyNanos(): Long? = runCatching {
            val f = File("/proc/stat").useLines { it.first() }.trim().split(Regex("\\s+")).drop(1).map { it.toLong() }
            val jiffies = f.take(8).sum() - f[3] - f[4] // minus idle and iowait
            jiffies * ProcStat.TICK_NANOS
        }.getOrNull()
    }
}
