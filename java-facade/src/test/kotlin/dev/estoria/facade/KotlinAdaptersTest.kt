package dev.estoria.facade

import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.async.asAsync
import dev.estoria.cache.memory.InMemoryAggregateCache
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.facade.support.HangingEventStore
import dev.estoria.id.TypeId
import dev.estoria.projection.memory.InMemoryCheckpointStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CancellationException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** The Kotlin-side entry points (`asAsync`), for Kotlin code that hands stores to Java code. */
class KotlinAdaptersTest {
    @Test
    fun `asAsync on every store type delegates`() = runBlocking {
        val events = InMemoryEventStore()
        val id = TypeId.new("account")
        val async = events.asAsync()
        assertEquals(1, async.appendStream(id, listOf(WritableEvent.of("noted", byteArrayOf(1))), ExpectedVersion.NoStream).await().nextExpectedVersion)
        val executor = Executors.newSingleThreadExecutor()
        try {
            assertEquals(1, events.asAsync(executor).readStreamList(id).await().size)
        } finally {
            executor.shutdown()
        }
        val store = EventSourcedAggregateStore(events, TckCounter.definition).asAsync()
        val counter = store.upsert(TypeId.new(TckCounter.TYPE)) { listOf(TckCounter.Added(2)) }.await()
        assertEquals(2, counter.state.value)
        assertTrue(InMemorySnapshotStore().asAsync().read(id).await().isEmpty)
        assertTrue(InMemoryAggregateCache<TckCounter>().asAsync().get(id).await().isEmpty)
        assertTrue(InMemoryCheckpointStore().asAsync().load("p").await().isEmpty)
    }

    @Test
    fun `a facade bound to a scope is cancelled with the scope, and closing it leaves the scope alone`() {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val hanging = HangingEventStore()
        val facade = hanging.asAsync(scope)
        val append = facade.appendStream(TypeId.new("account"), listOf(WritableEvent.of("noted", byteArrayOf(1))))
        assertTrue(hanging.started.await(5, TimeUnit.SECONDS))
        scope.cancel()
        assertTrue(hanging.cancelled.await(5, TimeUnit.SECONDS))
        assertFailsWith<CancellationException> { append.get(5, TimeUnit.SECONDS) }
        assertTrue(facade.isClosed())

        val other = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        InMemoryEventStore().asAsync(other).close()
        assertTrue(other.coroutineContext[kotlinx.coroutines.Job]?.isActive == true, "closing the facade does not cancel its scope")
        other.cancel()
    }
}
