package dev.estoria.bench.targets

import dev.estoria.bench.Payloads
import java.time.Instant
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * The in-memory baseline: the same rows in a map of per-stream lists, the version check under the
 * list's lock (what a hand-written in-process event log does), a copy of the rows on read.
 */
class RawMemoryTarget : Target<String> {
    override val role: String = "raw"

    private class Row(
        val position: Long, val id: String, val stream: String, val version: Long, val type: String,
        val createdAt: Instant, val contentType: String, val metadata: Map<String, String>, val data: ByteArray,
    )

    private val streams = ConcurrentHashMap<String, ArrayList<Row>>()
    private val position = AtomicLong()

    override fun newStream(): String = "raw_" + UUID.randomUUID()

    override suspend fun append(stream: String, expected: Long, count: Int): Long {
        val rows = streams.computeIfAbsent(stream) { ArrayList() }
        synchronized(rows) {
            if (rows.size.toLong() != expected) throw Conflict(rows.size.toLong())
            val now = Instant.now()
            repeat(count) { i ->
                rows += Row(
                    position.incrementAndGet(), Payloads.EVENT_TYPE + "_" + UUID.randomUUID(), stream, expected + i + 1,
                    Payloads.EVENT_TYPE, now, Payloads.CONTENT_TYPE, Payloads.metadata, Payloads.data.copyOf(),
                )
            }
            return expected + count
        }
    }

    override suspend fun read(stream: String): Int {
        val rows = streams[stream] ?: return 0
        val copy = synchronized(rows) { ArrayList(rows) }
        var n = 0
        for (r in copy) if (r.data.copyOf().isNotEmpty() && r.version > 0) n++
        return n
    }
}
