package dev.estoria.jdbc.tck

import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.jdbc.TestDatabases
import dev.estoria.testkit.eventstore.EventStoreSuite
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.withContext

// The kit's clauses run on the test dispatcher; a service calls from Dispatchers.Default, where the stores
// hand the caller over to the IO thread that ran its statement (JdbcRunner). The same clauses, called there.

/** [inner], every call made from `Dispatchers.Default`. */
private class FromDefault(private val inner: EventStore) : EventStore {
    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        withContext(Dispatchers.Default) { inner.appendStream(streamId, events, expected) }

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        inner.readStream(streamId, options).flowOn(Dispatchers.Default)
}

class PostgresFromDefaultEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = FromDefault(TestDatabases.pgDefault)

    override fun maxEventSize(): Int = TestDatabases.pgDefault.options.maxEventSize
}

class SqliteFromDefaultEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = FromDefault(TestDatabases.sqliteDefault)

    override fun maxEventSize(): Int = TestDatabases.sqliteDefault.options.maxEventSize
}
