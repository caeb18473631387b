package dev.estoria.bench

/**
 * How much work each scenario does. `quick` finishes in under 3 minutes on a 2-core machine with every
 * backend; `full` is the one to quote; `tiny` is the smoke test's (seconds, numbers meaningless).
 */
data class Profile(
    val name: String,
    /** Measured rounds after one warm-up round; store, baselines interleaved in each round. */
    val rounds: Int,
    val sequential1: Int,
    val sequential10: Int,
    val bulkAppends: Int,
    /** Appends per writer in the distinct-stream scenarios (8 and 32 writers). */
    val concurrentPerWriter: Int,
    /** Successful appends per writer in the one-stream scenario. */
    val contendedPerWriter: Int,
    val readStreamEvents: Int,
    val readManyStreams: Int,
    val aggregateLengths: List<Int>,
    val aggregateLoads: Int,
    val latencyEvents: Int,
    /** Seconds of unmeasured passes over the throughput scenarios before a backend's first section. */
    val warmUpSeconds: Int,
) {
    /**
     * The workloads for a stand-in server ([Backend.standIn]): a fifth of every count, one tenth of the longest
     * stream, no warm-up; its figures describe the stand-in, not the database it stands in for.
     */
    fun forStandIn(): Profile = copy(
        name = "$name/5",
        sequential1 = maxOf(1, sequential1 / 5),
        sequential10 = maxOf(1, sequential10 / 5),
        concurrentPerWriter = maxOf(1, concurrentPerWriter / 5),
        contendedPerWriter = maxOf(1, contendedPerWriter / 5),
        readStreamEvents = maxOf(10, readStreamEvents / 5),
        readManyStreams = maxOf(10, readManyStreams / 5),
        aggregateLengths = aggregateLengths.map { if (it > 10_000) it / 10 else it },
        warmUpSeconds = 0,
    )

    companion object {
        val tiny = Profile("tiny", 1, 20, 10, 2, 5, 3, 200, 20, listOf(10, 100, 1_000), 2, 5, 0)
        val quick = Profile("quick", 3, 300, 100, 3, 40, 15, 10_000, 1_000, listOf(10, 1_000, 100_000), 3, 25, 20)
        val full = Profile("full", 7, 3_000, 1_000, 20, 300, 150, 10_000, 1_000, listOf(10, 1_000, 100_000), 10, 150, 60)

        fun named(name: String): Profile = when (name) {
            "tiny" -> tiny
            "quick" -> quick
            "full" -> full
            else -> throw IllegalArgumentException("unknown profile '$name' (tiny, quick, full)")
        }
    }
}
