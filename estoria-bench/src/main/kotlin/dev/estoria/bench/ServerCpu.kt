package dev.estoria.bench

import java.io.File

/**
 * CPU of the database servers this run started. The embedded PostgreSQL is not a child of this JVM (`pg_ctl`
 * detaches it), so it is found by name and start time: every postmaster started after this JVM, with its
 * own CPU, its reaped backends' (from /proc/PID/stat) and its live backends'. Other servers (the embedded
 * redis-server) are this process's descendants. In-process servers (SQLite, the MongoDB stand-in) are this
 * process's own CPU; a server given by URL is not seen.
 */
object ServerCpu {
    private val jvmStart = ProcessHandle.current().info().startInstant().orElse(null)

    /** CPU nanoseconds of every server this run started (PostgreSQL and this process's descendants), 0 if none. */
    fun allNanos(): Long = ProcessHandle.current().descendants().mapToLong { cpu(it) }.sum() + (postgresNanos() ?: 0L)

    /** CPU nanoseconds of the PostgreSQL servers this run started, or null when there is none (yet). */
    fun postgresNanos(): Long? {
        val postmasters = ProcessHandle.allProcesses().filter { isOurPostmaster(it) }.toList()
        if (postmasters.isEmpty()) return null
        return postmasters.sumOf { pm -> (ownAndReapedNanos(pm.pid()) ?: cpu(pm)) + pm.descendants().mapToLong { cpu(it) }.sum() }
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
}
