package dev.estoria.reliability

import com.mongodb.kotlin.client.coroutine.MongoClient
import de.bwaldvogel.mongo.MongoServer
import de.bwaldvogel.mongo.backend.memory.MemoryBackend
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.mongo.MongoEventStore
import dev.estoria.mongo.MongoSnapshotStore
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import kotlin.test.assertEquals

/**
 * The same contention, global-order and layer scenarios on MongoDB, run on the in-process stand-in
 * (mongo-java-server: no sessions, no transactions — what a standalone `mongod` guarantees, and less).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MongoReliabilityTest {
    private val server = MongoServer(MemoryBackend())
    private val address = server.bind()
    private val client = MongoClient.create("mongodb://${address.hostString}:${address.port}")
    private var databases = 0
    private val backend = "mongodb (mongo-java-server)"

    /** Appends per writer: the in-process stand-in slows down as its collections grow (~50 ms an append at 1,000 documents). */
    private val standIn = Scale.of(ci = 30, soak = 300)

    private fun database() = client.getDatabase("rel_${++databases}")

    @AfterAll
    fun stop() {
        client.close()
        server.shutdownNow()
    }

    @Test
    fun `mongodb - eight writers with Exact and retry lose and duplicate nothing`() = ContentionTest().exactWithRetry(backend, MongoEventStore(database()), appends = standIn)

    @Test
    fun `mongodb - hot streams with Any and StreamExists keep every append in order`() = ContentionTest().hotStreams(backend, MongoEventStore(database()), appends = standIn)

    @Test
    fun `mongodb - update from 16 callers through the full stack counts every update once`() {
        val db = database()
        ContentionTest().updateThroughTheStack(backend, MongoEventStore(db), MongoSnapshotStore(db, keepLast = 2))
    }

    @Test
    fun `mongodb - a polling subscriber skips and repeats nothing under concurrent writers`() = GlobalOrderTest().run(backend, MongoEventStore(database()), lockers = 0, appends = standIn)

    @Test
    fun `mongodb - no load through the stacks returns a state the stream does not have`(): Unit = runBlocking {
        val db = database()
        val events = MongoEventStore(db)
        val operations = Scale.of(ci = 150, soak = 1_500)
        val tally = Tally("layers-delete-truncate-recreate", "$backend+caffeine", "$operations random updates / loads / deletes / re-creations / truncations per stack (snapshotting, caching, canonical)")
        LayersChurn.run(events, LayersChurn.stacks(events, MongoSnapshotStore(db, keepLast = 3), CaffeineAggregateCache.create()), operations, tally)
        Figures.record(tally)
        assertEquals(0, tally.count("states the stream does not have"), "${tally.figure()}")
    }
}
