package dev.estoria.jdbc

import dev.estoria.jdbc.live.RecordingDataSource
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertNull

/**
 * A checkpoint load is one auto-committed `SELECT` on both dialects, found or not: no transaction, so no
 * `COMMIT` round trip. Before, each load ran in an Exposed transaction and paid a commit.
 */
class CheckpointLoadStatementsTest {
    @Test
    fun `a checkpoint load, found or not, is one statement and no commit`() = runBlocking {
        val options = JdbcStoreOptions.builder().tablePrefix("cl${UUID.randomUUID().toString().take(8)}_").build()
        val pg = RecordingDataSource(TestDatabases.postgres())
        val lite = RecordingDataSource(TestDatabases.sqlite())
        for ((recording, store) in listOf(pg to JdbcCheckpointStore.postgres(pg.dataSource, options), lite to JdbcCheckpointStore.sqlite(lite.dataSource, options))) {
            store.save("orders", 42)

            suspend fun counted(load: suspend () -> Long?): Long? = recording.oneStatementNoCommit(store, load)

            assertEquals(42L, counted { store.load("orders") })
            assertNull(counted { store.load("never-saved") })
            store.save("orders", 43)
            assertEquals(43L, counted { store.load("orders") })
        }
    }
}
