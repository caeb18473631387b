package dev.estoria.jdbc.tck

import dev.estoria.eventstore.EventStore
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.DeletedEventsGlobalOrderSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite

// PostgreSQL (embedded real server unless ESTORIA_POSTGRES_URL / Docker), default and custom names.

class PostgresEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgDefault

    override fun maxEventSize(): Int = TestDatabases.pgDefault.options.maxEventSize
}

class PostgresGlobalReaderTest : GlobalReaderSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault
}

class PostgresStreamDeleterTest : StreamDeleterSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault
}

class PostgresDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault
}

class PostgresCustomNamesEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgCustom

    override fun maxEventSize(): Int = TestDatabases.pgCustom.options.maxEventSize
}

class PostgresCustomNamesGlobalReaderTest : GlobalReaderSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgCustom
}

class PostgresCustomNamesStreamDeleterTest : StreamDeleterSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgCustom
}

class PostgresCustomNamesDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgCustom
}

// SQLite (file database), default and custom names.

class SqliteEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteDefault

    override fun maxEventSize(): Int = TestDatabases.sqliteDefault.options.maxEventSize
}

class SqliteGlobalReaderTest : GlobalReaderSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault
}

class SqliteStreamDeleterTest : StreamDeleterSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault
}

class SqliteDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault
}

class SqliteCustomNamesEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteCustom

    override fun maxEventSize(): Int = TestDatabases.sqliteCustom.options.maxEventSize
}

class SqliteCustomNamesGlobalReaderTest : GlobalReaderSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteCustom
}

class SqliteCustomNamesStreamDeleterTest : StreamDeleterSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteCustom
}

class SqliteCustomNamesDeletedEventsGlobalOrderTest : DeletedEventsGlobalOrderSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteCustom
}
