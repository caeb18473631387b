package dev.estoria.bench.scenario

import dev.estoria.bench.ProcStat
import java.io.File
import java.lang.management.ManagementFactory

/**
 * This process's CPU time as the benchmark charges it to a pass: all threads (callers, the store's, the
 * driver's, GC) except the JIT compiler's. Compilation is warm-up, not work: counted in, it made whichever
 * section ran first look up to 4× more expensive than the same store measured again later in the same run.
 * The JVM's process CPU is counted in clock ticks (10 ms), so short passes have coarse figures; the compiler
 * threads (`C1/C2 CompilerThread`, long-lived) are read from /proc/self/task/TID/stat. Off Linux, the plain
 * process CPU.
 */
object ClientCpu {
    private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    /** CPU nanoseconds of this process so far, minus its JIT compiler threads'. */
    fun nanos(): Long = os.processCpuTime - compilerNanos()

    /** utime + stime of this JVM's compiler threads (fields 14-15 of stat, clock ticks of 10 ms), 0 off Linux. */
    private fun compilerNanos(): Long = runCatching {
        val tasks = File("/proc/self/task").listFiles() ?: return 0L
        tasks.sumOf { task ->
            val name = runCatching { File(task, "comm").readText().trim() }.getOrDefault("")
            if (name.contains("CompilerThre")) ProcStat.cpuNanos(File(task, "stat"), 11, 12) ?: 0L else 0L
        }
    }.getOrDefault(0L)
}
