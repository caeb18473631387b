package dev.estoria.jdbc

import dev.estoria.id.TypeId
import dev.estoria.jdbc.live.RecordingDataSource
import dev.estoria.snapshot.Snapshot
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Instant

import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

/**
 * A snapshot read is one auto-committed `SELECT` on both dialects, whatever it finds: no transaction, so
 * no `COMMIT` round trip (every load through `SnapshottingAggregateStore` starts with one). Before, each
 * read ran in an Exposed transaction and paid a commit: on the embedded PostgreSQL 381 µs against 201 µs.
 */
class SnapshotReadStatementsTest {
    @Test
    fun `a snapshot read, hit or miss, is one statement and no commit`() = runBlocking {
        for ((recording, store) in RecordingDataSource.onBothDialects("sr", { ds, o -> JdbcSnapshotStore.postgres(ds, o) }, { ds, o -> JdbcSnapshotStore.sqlite(ds, o) })) {
            val id = TypeId.new("sr")
            val taken = Instant.parse("2026-12-02T10:15:30.123456Z")
            val last = TypeId.new("ev")
            for (version in listOf(10L, 20L)) store.write(Snapshot(id, version, "state $version".toByteArray(), "text/plain", taken, last))

            suspend fun counted(read: suspend () -> Snapshot?): Snapshot? = recording.oneStatementNoCommit(store, read)

            val newest = assertNotNull(counted { store.read(id) })
            assertEquals(listOf(20L, "state 20", "text/plain", taken, last), listOf(newest.version, String(newest.data), newest.contentType, newest.timestamp, newest.lastEventId))
            assertEquals(10L, counted { store.read(id, maxVersion = 15) }?.version)
            assertNull(counted { store.read(id, maxVersion = 5) })
            assertNull(counted { store.read(TypeId.new("sr")) })
        }
    }
}
