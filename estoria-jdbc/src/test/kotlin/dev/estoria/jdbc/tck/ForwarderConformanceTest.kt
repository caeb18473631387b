package dev.estoria.jdbc.tck

import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.projection.CheckpointStore
import dev.estoria.testkit.forwarding.ForwarderSuite

class PostgresForwarderTest : ForwarderSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres())
}

class SqliteForwarderTest : ForwarderSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite())
}
