package dev.estoria.jdbc

import dev.estoria.jdbc.live.RecordingDataSource
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

/**
 * A checkpoint load is one auto-committed `SELECT` on both dialects, found or not: no transaction, so no
 * `COMMIT` round trip. Before, each load ran in an Exposed transaction and paid a commit.
 */
class CheckpointLoadStatementsTest {
    @Test
    fun `a checkpoint load, found or not, is one statement and no commit`() = runBlocking {
        for ((recording, store) in RecordingDataSource.onBothDialects("cl", { ds, o -> JdbcCheckpointStore.postgres(ds, o) }, { ds, o -> JdbcCheckpointStore.sqlite(ds, o) })) {
            store.save("orders", 42)

            suspend fun counted(load: suspend () -> Long?): Long? = recording.oneStatementNoCommit(store, load)

            assertEquals(42L, counted { store.load("orders") })
            assertNull(counted { store.load("never-saved") })
            store.save("orders", 43)
            assertEquals(43L, counted { store.load("orders") })
        }
    }
}
