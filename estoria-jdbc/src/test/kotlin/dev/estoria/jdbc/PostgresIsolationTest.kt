package dev.estoria.jdbc

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.testkit.Tck
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * Appends must not depend on the database's default isolation level: with sessions defaulting to
 * REPEATABLE READ or SERIALIZABLE, concurrent `Any` appends all succeed in order and a stale `Exact`
 * append is a version conflict (which `update` retries), not a store failure.
 */
class PostgresIsolationTest {
    @ParameterizedTest
    @ValueSource(strings = ["repeatable read", "serializable"])
    fun `concurrent Any appends succeed and a stale Exact append is a conflict whatever the default isolation`(level: String): Unit = runBlocking {
        val info = PostgresTestServer.require()
        val config = HikariConfig().apply {
            jdbcUrl = info.jdbcUrl
            username = info.user
            password = info.password
            maximumPoolSize = 8
            connectionInitSql = "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ${level.uppercase()}"
        }
        HikariDataSource(config).use { ds ->
            val store = PostgresEventStore.create(ds)
            val id = TypeId.new("iso")
            withContext(Dispatchers.Default) {
                List(8) { async { repeat(50) { store.appendStream(id, Tck.events(1), ExpectedVersion.Any) } } }.awaitAll()
            }
            val events = store.readStream(id).toList()
            assertEquals((1L..400L).toList(), events.map { it.streamVersion })
            assertEquals(events, store.readAll(events.first().globalPosition!! - 1).toList().filter { it.streamId == id })
            val e = assertFailsWith<StreamVersionConflictException> { store.appendStream(id, Tck.events(1), ExpectedVersion.Exact(3)) }
            assertEquals(400, e.actual)
        }
    }
}
