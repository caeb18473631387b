package dev.estoria.jdbc

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.event.Event
import dev.estoria.projection.Projection
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.projection
import dev.estoria.testkit.Tck
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import java.io.PrintWriter
import java.sql.Connection
import java.sql.SQLException
import java.time.Duration
import java.util.UUID
import java.util.logging.Logger
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes

/**
 * Partitions across instances on PostgreSQL in same-transaction mode: three instances (each with its own
 * connection pool, as three JVMs) share 8 partitions while 8 writers append; one is killed mid-run: its
 * backends are terminated with `pg_terminate_backend` and its pool refuses new connections (the host is gone),
 * so its open batch transaction rolls back and its leases expire. Its partitions must move to the survivors and
 * the read model (a table written in the batch transactions) must hold every event exactly once, each stream in
 * version order.
 */
class PostgresPartitionFailoverTest {
    /** A pool of its own, named so that its backends can be terminated; [kill] also refuses new connections. */
    private class Instance(val name: String) : AutoCloseable {
        val pool: HikariDataSource = HikariDataSource(
            HikariConfig().apply {
                val info = PostgresTestServer.require()
                jdbcUrl = info.jdbcUrl
                username = info.user
                password = info.password
                maximumPoolSize = 4
                minimumIdle = 0
                poolName = name
                addDataSourceProperty("ApplicationName", name)
            },
        )

        @Volatile
        var killed = false

        val dataSource: DataSource = object : DataSource by pool {
            override fun getConnection(): Connection = if (killed) throw SQLException("$name is gone") else pool.connection

            override fun getConnection(user: String?, password: String?): Connection = connection

            override fun getLogWriter(): PrintWriter? = pool.logWriter

            override fun getParentLogger(): Logger = pool.parentLogger
        }

        fun kill() {
            killed = true
            TestDatabases.postgres().connection.use { c ->
                c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?").use { ps ->
                    ps.setString(1, name)
                    ps.executeQuery().close()
                }
            }
        }

        override fun close() = pool.close()
    }

    private val table = "rm_part_" + UUID.randomUUID().toString().replace("-", "").take(12)

    private fun rows(): List<Triple<Long, String, Long>> = TestDatabases.postgres().connection.use { c ->
        c.createStatement().use { st ->
            st.executeQuery("SELECT position, stream_id, version FROM $table ORDER BY seq").use { rs ->
                buildList { while (rs.next()) add(Triple(rs.getLong(1), rs.getString(2), rs.getLong(3))) }
            }
        }
    }

    private fun readModel(name: String, streams: Set<String>): Projection = projection(name) {
        partitions(8)
        onAny { e, _ -> if (e.streamId.toString() in streams) write(e) }
    }

    private suspend fun write(e: Event) {
        JdbcProjectionTransactions.connection().prepareStatement("INSERT INTO $table (position, stream_id, version) VALUES (?, ?, ?)").use { ps ->
            ps.setLong(1, e.globalPosition ?: -1)
            ps.setString(2, e.streamId.toString())
            ps.setLong(3, e.streamVersion)
            ps.executeUpdate()
        }
    }

    @Test
    fun `a killed instance's partitions move and the same-transaction read model holds every event exactly once in order`() = runBlocking(Dispatchers.Default) {
        TestDatabases.postgres().connection.use { c ->
            c.createStatement().use { it.execute("CREATE TABLE $table (seq BIGSERIAL PRIMARY KEY, position BIGINT NOT NULL, stream_id TEXT NOT NULL, version BIGINT NOT NULL)") }
        }
        val store = TestDatabases.pgDefault
        val streams = List(8) { Tck.newStreamId() }
        val ids = streams.map { it.toString() }.toSet()
        val name = "part-failover-${UUID.randomUUID()}"
        val p = readModel(name, ids)
        val start = store.headPosition()
        val seeding = JdbcCheckpointStore.postgres(TestDatabases.postgres())
        for (n in p.checkpointNames) seeding.save(n, start)
        val instances = List(3) { Instance("estoria-part-$it-${UUID.randomUUID().toString().take(8)}") }
        val scope = CoroutineScope(coroutineContext + SupervisorJob(coroutineContext[Job]) + CoroutineExceptionHandler { _, _ -> })
        try {
            withTimeout(2.minutes) {
                val processors = instances.map { i ->
                    val options = ProjectionOptions.builder().batchSize(5).idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                        .leases(JdbcLeaseStore.postgres(i.dataSource), Duration.ofSeconds(2)).acquireInterval(Duration.ofMillis(100))
                        .committer(JdbcProjectionTransactions.postgres(i.dataSource)).owner(i.name).build()
                    ProjectionProcessor(p, PostgresEventStore.create(i.dataSource), JdbcCheckpointStore.postgres(i.dataSource), options)
                }
                val jobs = processors.map { it.start(scope) }
                val writing = streams.map { s -> scope.launch { repeat(12) { store.appendStream(s, Tck.events(1 + it % 3)) } } }
                combine(processors.map { it.ownedPartitions }) { it.toList() }.first { owned -> owned.all { it.size in 2..3 } && owned.sumOf { it.size } == 8 }
                // killed mid-run: once it applied some of the writers' events
                processors[1].position.first { it > start }
                instances[1].kill()
                jobs[1].join()
                assertTrue(jobs[1].isCancelled, "the killed instance failed")
                combine(processors[0].ownedPartitions, processors[2].ownedPartitions) { a, b -> a + b }.first { it == (0 until 8).toSet() }
                writing.joinAll()
                val head = store.headPosition()
                processors[0].awaitPosition(head)
                processors[2].awaitPosition(head)
                processors[0].stop()
                processors[2].stop()
            }
        } finally {
            scope.coroutineContext[Job]?.cancelAndJoin()
            instances.forEach { it.close() }
        }
        val replay = store.readAll(start).toList().filter { it.streamId.toString() in ids }
        val applied = rows()
        assertEquals(replay.map { it.globalPosition }.sortedBy { it }, applied.map { it.first }.sorted(), "every event exactly once")
        for ((stream, versions) in applied.groupBy({ it.second }, { it.third })) assertEquals(versions.sorted(), versions, "order of $stream")
    }
}
