package dev.estoria.jdbc

import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.Test
import java.sql.Connection
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * A projection written with Exposed commits its read model and its checkpoint in ONE transaction
 * (effectively once): `JdbcCheckpointStore.saveOn` runs on the Exposed transaction's JDBC connection.
 */
class ExposedInteropTest {
    @Test
    fun `an Exposed transaction commits or rolls back the read model and the checkpoint together`() {
        val ds = TestDatabases.postgres()
        val db = Database.connect(ds)
        val checkpoints = JdbcCheckpointStore.postgres(ds)
        val name = "projection-" + UUID.randomUUID()
        transaction(db) { exec("CREATE TABLE IF NOT EXISTS interop_read_model (id TEXT PRIMARY KEY)") }

        transaction(db) {
            exec("INSERT INTO interop_read_model VALUES ('$name-1')")
            checkpoints.saveOn(connection.connection as Connection, name, 7)
        }
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                exec("INSERT INTO interop_read_model VALUES ('$name-2')")
                checkpoints.saveOn(connection.connection as Connection, name, 9)
                error("the projection failed after writing")
            }
        }
        assertEquals(7L, runBlocking { checkpoints.load(name) })
        val rows = transaction(db) {
            exec("SELECT count(*) FROM interop_read_model WHERE id LIKE '$name%'") { rs -> rs.next(); rs.getInt(1) }
        }
        assertEquals(1, rows)
    }
}
