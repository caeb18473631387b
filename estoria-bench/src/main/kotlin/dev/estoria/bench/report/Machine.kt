package dev.estoria.bench.report

import dev.estoria.bench.ProcStat
import java.io.File
import java.lang.management.ManagementFactory

/**
 * The machine's noise over a run: CPU (in cores, averaged over the wall time) used by the whole machine
 * (from /proc/stat), by this process, by the database servers it started (the embedded PostgreSQL: every
 * `postgres` server process started after this JVM, with the CPU of the backends it has reaped), and by
 * everything else, which is the noise; plus load average, core count and JDK. The embedded PostgreSQL is
 * not a child of this JVM (`pg_ctl` detaches it), so it is found by name and start time, not as a descendant.
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

        private val jvmStart = ProcessHandle.current().info().startInstant().orElse(null)

        /**
         * CPU of the database servers this run started: this process's live descendants, plus every
         * PostgreSQL postmaster started after this JVM (its own CPU and its reaped backends' from
         * /proc/PID/stat) and its live backends.
         */
        private fun childrenNanos(): Long {
            val descendants = ProcessHandle.current().descendants().mapToLong { cpu(it) }.sum()
            val postmasters = ProcessHandle.allProcesses().filter { isOurPostmaster(it) }.mapToLong { pm ->
                (ownAndReapedNanos(pm.pid()) ?: cpu(pm)) + pm.descendants().mapToLong { cpu(it) }.sum()
            }.sum()
            return descendants + postmasters
        }

        private fun cpu(p: ProcessHandle): Long = p.info().totalCpuDuration().map { it.toNanos() }.orElse(0L)

        private fun isPostgres(p: ProcessHandle): Boolean = p.info().command().map { it.substringAfterLast('/') == "postgres" }.orElse(false)

        private fun isOurPostmaster(p: ProcessHandle): Boolean {
            if (!isPostgres(p) || p.parent().map { isPostgres(it) }.orElse(false)) return false
            val started = p.info().startInstant().orElse(null) ?: return false
            return jvmStart == null || !started.isBefore(jvmStart)
        }

        /** utime + stime + cutime + cstime of [pid] (fields 14-17 of /proc/PID/stat, in clock ticks), or null off Linux. */
        private fun ownAndReapedNanos(pid: Long): Long? = ProcStat.cpuNanos(File("/proc/$pid/stat"), 11, 12, 13, 14)

        /** Busy CPU of the whole machine since boot (all cores, user+nice+system+irq+softirq+steal), or null off Linux. */
        private fun busyNanos(): Long? = runCatching {
            val f = File("/proc/stat").useLines { it.first() }.trim().split(Regex("\\s+")).drop(1).map { it.toLong() }
            val jiffies = f.take(8).sum() - f[3] - f[4] // minus idle and iowait
            jiffies * ProcStat.TICK_NANOS
        }.getOrNull()
    }
}
