package dev.estoria.kurrent

import dev.estoria.error.StreamNotFoundException
import dev.estoria.eventstore.EventStore
import dev.estoria.testkit.Tck
import dev.estoria.testkit.Tck.events
import dev.estoria.testkit.Tck.newStreamId
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.TestResult
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.ExtendWith
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/*
 * The kit against a real KurrentDB (see KurrentServer for how one is found). Without a server these
 * classes are disabled with the reason "no KurrentDB: set ESTORIA_KURRENT_URL or run a Docker engine".
 */

/** One store per JVM on the server; every clause uses fresh stream ids. */
private val serverStore: KurrentEventStore by lazy {
    KurrentEventStore.connect(KurrentServer.connectionString, KurrentStoreOptions(streamPrefix = "estoria_tck"))
}

@ExtendWith(KurrentAvailable::class)
class KurrentServerEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = serverStore
}

@ExtendWith(KurrentAvailable::class)
class KurrentServerGlobalReaderTest : GlobalReaderSuite<KurrentEventStore>() {
    override fun eventStore(): KurrentEventStore = serverStore
}

/** KurrentDB's own deletion semantics, as documented on [KurrentEventStore.softDelete] and friends. */
@ExtendWith(KurrentAvailable::class)
class KurrentServerDeletionTest {
    @Test
    fun `a soft-deleted stream reads as not found and its versions continue`(): TestResult = Tck.run {
        val id = newStreamId()
        serverStore.appendStream(id, events(2))
        serverStore.softDelete(id)
        assertFailsWith<StreamNotFoundException> { serverStore.readStream(id).toList() }
        assertEquals(3, serverStore.appendStream(id, events(1, 3)).events.single().streamVersion)
    }

    @Test
    fun `truncation hides earlier versions and keeps later ones`(): TestResult = Tck.run {
        val id = newStreamId()
        serverStore.appendStream(id, events(3))
        serverStore.truncate(id, 2)
        assertEquals(listOf(3L), serverStore.readStream(id).toList().map { it.streamVersion })
    }

    @Test
    fun `a tombstoned stream can never be written again`(): TestResult = Tck.run {
        val id = newStreamId()
        serverStore.appendStream(id, events(1))
        serverStore.tombstone(id)
        assertFailsWith<StreamNotFoundException> { serverStore.readStream(id).toList() }
        assertFailsWith<dev.estoria.error.StoreException> { serverStore.appendStream(id, events(1, 2)) }
    }
}
