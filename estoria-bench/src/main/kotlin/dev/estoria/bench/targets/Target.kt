package dev.estoria.bench.targets

/**
 * One thing the scenarios drive: an Estoria store, or a baseline doing the minimal equivalent with the
 * bare driver into the same table shape, or Axon's storage engine. Streams are handles of type [K]
 * (a `TypeId` for the stores, a string for the rest), so no scenario pays for turning one into the other.
 */
interface Target<K> {
    /** `store`, `raw` or `axon`: the column the figures go to. */
    val role: String

    /** A stream no one has written yet. */
    fun newStream(): K

    /**
     * Appends [count] events of the benchmark's shape to [stream] expecting it to be at [expected] (0: new)
     * and returns the stream's new version; throws [Conflict] carrying the stream's actual version when
     * it is not at [expected].
     */
    suspend fun append(stream: K, expected: Long, count: Int): Long

    /** Reads [stream] from the start, every event turned into the values an application uses; returns the count. */
    suspend fun read(stream: K): Int
}

/** The stream was not at the expected version; [actual] is where it is. */
class Conflict(val actual: Long) : Exception("conflict at $actual", null, false, false)
