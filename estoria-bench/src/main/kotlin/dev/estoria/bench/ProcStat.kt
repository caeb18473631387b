package dev.estoria.bench

import java.io.File

/** Linux's per-process and per-thread `stat` files (`/proc/PID/stat`, `/proc/self/task/TID/stat`). */
object ProcStat {
    /** Nanoseconds per clock tick (USER_HZ = 100), the unit of the CPU fields. */
    const val TICK_NANOS: Long = 10_000_000L

    /**
     * The sum, in nanoseconds, of the CPU fields at [indexes] of [stat], counted from the field after the
     * command name (so index 11 is utime, 12 stime, 13 cutime, 14 cstime); null when the file cannot be read.
     */
    fun cpuNanos(stat: File, vararg indexes: Int): Long? = runCatching {
        val text = stat.readText()
        val fields = text.substring(text.lastIndexOf(')') + 2).trim().split(' ')
        indexes.sumOf { fields[it].toLong() } * TICK_NANOS
    }.getOrNull()
}
