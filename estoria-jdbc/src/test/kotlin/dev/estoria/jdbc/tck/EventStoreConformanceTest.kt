package dev.estoria.jdbc.tck

import dev.estoria.eventstore.EventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.testkit.eventstore.EventStoreSuite
import dev.estoria.testkit.eventstore.GlobalReaderSuite
import dev.estoria.testkit.eventstore.StreamDeleterSuite

// PostgreSQL (embedded real server unless ESTORIA_POSTGRES_URL / Docker), default and custom names.

class PostgresEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgDefault

    override fun maxEventSize(): Int = TestDatabases.pgDefault.options.maxEventSize
}

class PostgresGlobalReaderTest : GlobalReaderSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgDefault
}

class PostgresStreamDeleterTest : StreamDeleterSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgDefault
}

class PostgresCustomNamesEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgCustom

    override fun maxEventSize(): Int = TestDatabases.pgCustom.options.maxEventSize
}

class PostgresCustomNamesGlobalReaderTest : GlobalReaderSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgCustom
}

class PostgresCustomNamesStreamDeleterTest : StreamDeleterSuite() {
    override fun eventStore(): EventStore = TestDatabases.pgCustom
}

// SQLite (file database), default and custom names.

class SqliteEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteDefault

    override fun maxEventSize(): Int = TestDatabases.sqliteDefault.options.maxEventSize
}

class SqliteGlobalReaderTest : GlobalReaderSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteDefault
}

class SqliteStreamDeleterTest : StreamDeleterSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteDefault
}

class SqliteCustomNamesEventStoreTest : EventStoreSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteCustom

    override fun maxEventSize(): Int = TestDatabases.sqliteCustom.options.maxEventSize
}

class SqliteCustomNamesGlobalReaderTest : GlobalReaderSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteCustom
}

class SqliteCustomNamesStreamDeleterTest : StreamDeleterSuite() {
    override fun eventStore(): EventStore = TestDatabases.sqliteCustom
}
