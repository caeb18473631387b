package dev.estoria.facade;

import dev.estoria.eventstore.EventStore;
import dev.estoria.facade.support.JdbcDatabases;
import dev.estoria.jdbc.JdbcCheckpointStore;
import dev.estoria.jdbc.JdbcSnapshotStore;
import dev.estoria.projection.CheckpointStore;
import dev.estoria.snapshot.SnapshotStore;

/** The Java surface on the embedded default store, SQLite. */
class SqliteFacadeTest extends JdbcBackendsContract {
    @Override protected EventStore eventStore() { return JdbcDatabases.sqliteEventStore(); }

    @Override protected SnapshotStore snapshotStore() { return JdbcSnapshotStore.sqlite(JdbcDatabases.sqlite()); }

    @Override protected CheckpointStore checkpointStore() { return JdbcCheckpointStore.sqlite(JdbcDatabases.sqlite()); }
}
