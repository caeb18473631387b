package dev.estoria.mongo.bench

import com.mongodb.client.model.Filters
import com.mongodb.client.model.Sorts
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.mongo.MongoEventStore
import dev.estoria.mongo.MongoTestServer
import dev.estoria.mongo.internal.BatchDocuments
import dev.estoria.mongo.internal.Indexes
import dev.estoria.mongo.IndexMode
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.runBlocking
import org.bson.BsonDocument
import java.time.Instant

/**
 * Events per second of [MongoEventStore] beside the bare driver doing the minimal equivalent, on one
 * server in one run (compare the ratios, not the absolute figures): appends of 1 and 10 events (bare:
 * `insertOne` of the same documents into a collection with the same indexes) and reads of one
 * 10,000-event stream and of the whole log (bare: one `find`). Not a test and no timed assertion.
 *
 * Run: `mvn -B -ntp -Dkotlin.compiler.daemon=false -pl estoria-mongo -am -Pbench verify -DskipTests`
 * (server: `ESTORIA_MONGO_URL`, else Docker, else the in-process stand-in).
 */
object MongoBenchmark {
    private const val APPENDS = 2_000
    private const val STREAM_EVENTS = 10_000

    private fun events(n: Int): List<WritableEvent> = List(n) { WritableEvent.of("bench_happened", """{"n":$it,"payload":"0123456789abcdef"}""".encodeToByteArray()) }

    private inline fun rate(events: Int, block: () -> Unit): Double {
        val start = System.nanoTime()
        block()
        return events / ((System.nanoTime() - start) / 1e9)
    }

    @JvmStatic
    fun main(args: Array<String>) = runBlocking {
        println("server: ${MongoTestServer.source()} ${MongoTestServer.url()}")
        val db = MongoTestServer.database("bench")
        val store = MongoEventStore(db)
        store.ensureIndexes()
        val bare = db.getCollection("bare", BsonDocument::class.java)
        Indexes.apply(IndexMode.CREATE, bare, Indexes.events)
        var position = 0L
        suspend fun bareAppend(id: TypeId, version: Long, batch: List<WritableEvent>) {
            bare.insertOne(BatchDocuments.batch(id, version, position + 1, Instant.now(), batch))
            position += batch.size
        }
        // warm up both paths
        repeat(200) { store.appendStream(TypeId.new("bench"), events(1)); bareAppend(TypeId.new("bench"), 1, events(1)) }

        val rows = ArrayList<Triple<String, Double, Double>>()
        for (size in listOf(1, 10)) {
            val batches = List(APPENDS) { events(size) }
            val estoria = rate(APPENDS * size) { for (b in batches) store.appendStream(TypeId.new("bench"), b, ExpectedVersion.NoStream) }
            val driver = rate(APPENDS * size) { for (b in batches) bareAppend(TypeId.new("bench"), 1, b) }
            rows += Triple("append $size event(s)", estoria, driver)
        }
        val long = TypeId.new("bench")
        val bareLong = TypeId.new("bench")
        repeat(STREAM_EVENTS / 100) { i ->
            store.appendStream(long, events(100))
            bareAppend(bareLong, i * 100L + 1, events(100))
        }
        repeat(STREAM_EVENTS / 100) { store.appendStream(TypeId.new("bench"), events(100)) }
        rows += Triple(
            "read one $STREAM_EVENTS-event stream",
            rate(STREAM_EVENTS) { check(store.readStream(long).count() == STREAM_EVENTS) },
            rate(STREAM_EVENTS) { bare.find(Filters.eq(BatchDocuments.STREAM, bareLong.toString())).sort(Sorts.ascending(BatchDocuments.VERSION)).collect { BatchDocuments.events(it) } },
        )
        val total = store.readAll().count()
        val bareTotal = bare.countDocuments().toInt()
        rows += Triple(
            "readAll ($total events)",
            rate(total) { check(store.readAll().count() == total) },
            rate(total) { var n = 0; bare.find().sort(Sorts.ascending(BatchDocuments.LAST_POSITION)).collect { n += BatchDocuments.events(it).size }; check(bareTotal > 0 && n > 0) },
        )
        println(String.format("%-34s %14s %14s %8s", "operation", "estoria ev/s", "driver ev/s", "ratio"))
        for ((name, e, d) in rows) println(String.format("%-34s %14.0f %14.0f %8.2f", name, e, d, e / d))
    }
}
