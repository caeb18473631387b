package dev.estoria.jdbc.tck

import dev.estoria.eventstore.EventStore
import dev.estoria.jdbc.JdbcCheckpointStore
import dev.estoria.jdbc.JdbcLeaseStore
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.jdbc.TestDatabases
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.LeaseStore
import dev.estoria.testkit.projection.LeaseStoreSuite
import dev.estoria.testkit.projection.PartitionSuite
import dev.estoria.testkit.projection.ProjectionSuite

class PostgresLeaseStoreTest : LeaseStoreSuite() {
    override fun leaseStore(): LeaseStore = JdbcLeaseStore.postgres(TestDatabases.postgres())

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres())
}

class PostgresCustomNamesLeaseStoreTest : LeaseStoreSuite() {
    override fun leaseStore(): LeaseStore = JdbcLeaseStore.postgres(TestDatabases.postgres(), TestDatabases.customPg)

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres(), TestDatabases.customPg)
}

class SqliteLeaseStoreTest : LeaseStoreSuite() {
    override fun leaseStore(): LeaseStore = JdbcLeaseStore.sqlite(TestDatabases.sqlite())

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite())
}

class SqliteCustomNamesLeaseStoreTest : LeaseStoreSuite() {
    override fun leaseStore(): LeaseStore = JdbcLeaseStore.sqlite(TestDatabases.sqlite(), TestDatabases.customSqlite)

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite(), TestDatabases.customSqlite)
}

class PostgresProjectionTest : ProjectionSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres())

    override fun leaseStore(): LeaseStore = JdbcLeaseStore.postgres(TestDatabases.postgres())
}

class SqliteProjectionTest : ProjectionSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite())

    override fun leaseStore(): LeaseStore = JdbcLeaseStore.sqlite(TestDatabases.sqlite())
}

class PostgresPartitionTest : PartitionSuite<PostgresEventStore>() {
    override fun eventStore(): PostgresEventStore = TestDatabases.pgDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.postgres(TestDatabases.postgres())

    override fun leaseStore(): LeaseStore = JdbcLeaseStore.postgres(TestDatabases.postgres())
}

class SqlitePartitionTest : PartitionSuite<SqliteEventStore>() {
    override fun eventStore(): SqliteEventStore = TestDatabases.sqliteDefault

    override fun checkpointStore(): CheckpointStore = JdbcCheckpointStore.sqlite(TestDatabases.sqlite())

    override fun leaseStore(): LeaseStore = JdbcLeaseStore.sqlite(TestDatabases.sqlite())
}
