package dev.estoria.bench

import dev.estoria.event.WritableEvent

/**
 * The payload shape, the same for every store and baseline: a 200-byte JSON payload and metadata
 * whose JSON text is 109 bytes (the metadata column holds exactly that text in the raw baselines).
 */
object Payloads {
    const val EVENT_TYPE = "bench_event"
    const val CONTENT_TYPE = "application/json"

    /** A 200-byte JSON object. */
    val data: ByteArray = padded("""{"amount":100,"currency":"EUR","note":"""", "\"}", 200).encodeToByteArray()

    /** Metadata whose JSON text ([metadataJson]) is 109 bytes. */
    val metadata: Map<String, String> = run {
        val fixed = mapOf("correlation_id" to "0190f3a2-7c4e-7b1a-9d3e-5f6a7b8c9d0e")
        val bare = json(fixed + ("source" to ""))
        fixed + ("source" to "x".repeat(109 - bare.length))
    }

    /** The metadata as the JDBC stores keep it (a JSON object of strings). */
    val metadataJson: String = json(metadata)

    init {
        check(data.size == 200) { "payload is ${data.size} bytes" }
        check(metadataJson.length == 109) { "metadata is ${metadataJson.length} bytes" }
    }

    /** [count] events of the benchmark's shape, fresh ids. */
    fun events(count: Int): List<WritableEvent> =
        List(count) { WritableEvent.of(EVENT_TYPE, data, CONTENT_TYPE, metadata) }

    private fun padded(head: String, tail: String, size: Int): String = head + "x".repeat(size - head.length - tail.length) + tail

    private fun json(map: Map<String, String>): String =
        map.entries.joinToString(",", "{", "}") { (k, v) -> "\"$k\":\"$v\"" }
}
