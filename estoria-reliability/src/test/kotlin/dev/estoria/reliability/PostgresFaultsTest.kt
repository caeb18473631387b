package dev.estoria.reliability

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.EstoriaException
import dev.estoria.event.AppendResult
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.testkit.servers.postgres.PostgresTestServer
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files
import java.sql.Connection
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * PostgreSQL faults: backends terminated mid-append, answers lost after the commit, the server stopped
 * and restarted under load. No partial batch, typed errors, retries idempotent, the store works after.
 */
class PostgresFaultsTest {
    private fun batch(n: Int, size: Int = 3): List<WritableEvent> = List(size) { WritableEvent.of("rel_fault", """{"n":$n,"i":$it}""".encodeToByteArray()) }

    /** Retries [batch] until it succeeds (the outcome of a failed attempt is unknown), counting failures by type. */
    private suspend fun appendUntilDone(store: EventStore, stream: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion, tally: Tally): AppendResult {
        var attempts = 0
        while (true) {
            try {
                return store.appendStream(stream, batch, expected)
            } catch (e: EstoriaException) {
                tally.note("failed attempts: ${e.javaClass.simpleName}")
                check(++attempts < 2_000) { "no success after $attempts attempts: $e" }
                delay(10)
            }
        }
    }

    private suspend fun blockedBehind(admin: Connection, lockerPid: Int): Int {
        repeat(2_000) {
            admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))").use { ps ->
                ps.setInt(1, lockerPid)
                ps.executeQuery().use { rs -> if (rs.next()) return rs.getInt(1) }
            }
            delay(5)
        }
        error("no append blocked behind pid $lockerPid")
    }

    /**
     * A backend killed inside an append (`pg_terminate_backend` while the append waits for the stream's row
     * lock) must leave nothing of the batch, report AppendOutcomeUnknownException, and the retry of the same
     * batch must succeed once and then be idempotent.
     */
    @Test
    fun `backends terminated mid-append leave no partial batch and retries are idempotent`(): Unit = runBlocking {
        val backend = Databases.postgres("kills")
        val kills = Scale.of(ci = 100, soak = 500)
        val tally = Tally("fault-pg-terminate-backend", backend.name, "$kills appends killed by pg_terminate_backend while blocked in the database")
        val ledger = Ledger()
        val streams = List(4) { TypeId.new("rel_stream") }
        val versions = HashMap<TypeId, Long>()
        for (s in streams) versions[s] = backend.store.appendStream(s, batch(0, 1), ExpectedVersion.NoStream).also { ledger.acknowledged(s, it) }.nextExpectedVersion
        Databases.postgresConnection().use { locker ->
            Databases.postgresConnection().use { admin ->
                locker.autoCommit = false
                val lockerPid = locker.createStatement().use { st -> st.executeQuery("SELECT pg_backend_pid()").use { it.next(); it.getInt(1) } }
                for (k in 1..kills) {
                    val stream = streams[k % streams.size]
                    val expected = ExpectedVersion.Exact(versions.getValue(stream))
                    val attempt = batch(k)
                    locker.prepareStatement("SELECT 1 FROM ${backend.options.schema}.estoria_streams WHERE stream_id = ? FOR UPDATE").use { ps ->
                        ps.setString(1, stream.toString())
                        ps.executeQuery().close()
                    }
                    val append = async(Dispatchers.IO) { runCatching { backend.store.appendStream(stream, attempt, expected) } }
                    val victim = blockedBehind(admin, lockerPid)
                    admin.prepareStatement("SELECT pg_terminate_backend(?)").use { it.setInt(1, victim); it.executeQuery().close() }
                    tally.faults.incrementAndGet()
                    val failure = withTimeout(30_000) { append.await() }.exceptionOrNull()
                    locker.rollback()
                    tally.cases.incrementAndGet()
                    tally.note("killed append: ${failure?.javaClass?.simpleName ?: "succeeded"}")
                    assertIs<AppendOutcomeUnknownException>(failure, "kill $k")
                    val retried = backend.store.appendStream(stream, attempt, expected)
                    assertEquals(retried, backend.store.appendStream(stream, attempt, expected), "the second retry returns the first one's result")
                    ledger.acknowledged(stream, retried)
                    versions[stream] = retried.nextExpectedVersion
                }
            }
        }
        val consistent = ledger.verify(backend.store, tally)
        Figures.record(tally)
        assertTrue(consistent, "${tally.figure()}")
    }

    /**
     * The commit happened but its answer never arrived: the caller must be told AppendOutcomeUnknownException
     * (or success), and retrying the same batch must return the stored result, not write it twice.
     */
    @Test
    fun `answers lost after the commit surface as unknown outcomes and the retry is idempotent`(): Unit = runBlocking {
        val info = PostgresTestServer.require()
        val uri = URI(info.jdbcUrl.removePrefix("jdbc:"))
        val rounds = Scale.of(ci = 30, soak = 200)
        ReplyDroppingProxy(uri.host, uri.port).use { proxy ->
            val url = "jdbc:postgresql://127.0.0.1:${proxy.port}${uri.path}?sslmode=disable&gssEncMode=disable"
            val pool = HikariDataSource(HikariConfig().apply {
                jdbcUrl = url
                username = info.user
                password = info.password
                maximumPoolSize = 2
                poolName = "estoria-reliability-proxy"
            })
            pool.use {
                val schema = Databases.postgres("lostreply").options.schema
                val options = JdbcStoreOptions.builder().schema(schema).build()
                val store = PostgresEventStore.create(pool, options)
                val backend = Backend("postgresql", pool, options, store) { "" }
                val tally = Tally("fault-pg-lost-reply", backend.name, "$rounds appends whose commit answer a TCP proxy drops")
                val ledger = Ledger()
                val stream = TypeId.new("rel_stream")
                var version = 0L
                for (r in 1..rounds) {
                    val attempt = batch(r)
                    proxy.arm(attempt.first().id.toString())
                    val first = runCatching { store.appendStream(stream, attempt, ExpectedVersion.Exact(version)) }
                    tally.cases.incrementAndGet()
                    tally.note("first attempt: ${first.exceptionOrNull()?.javaClass?.simpleName ?: "succeeded"}")
                    first.exceptionOrNull()?.let { assertIs<AppendOutcomeUnknownException>(it, "round $r") }
                    val retried = store.appendStream(stream, attempt, ExpectedVersion.Exact(version))
                    first.getOrNull()?.let { assertEquals(it, retried) }
                    ledger.acknowledged(stream, retried)
                    version = retried.nextExpectedVersion
                }
                tally.faults.set(proxy.dropped.get().toLong())
                val consistent = ledger.verify(store, tally)
                Figures.record(tally)
                assertEquals(rounds, proxy.dropped.get(), "every armed append lost its answer")
                assertEquals(rounds * 3L, version)
                assertTrue(consistent, "${tally.figure()}")
            }
        }
    }

    /**
     * A dedicated PostgreSQL (not the shared one) stopped and restarted while writers append: every append
     * fails typed while it is down, each writer retries its batch until it succeeds, and afterwards every
     * stream holds each acknowledged batch exactly once.
     */
    @Test
    fun `the server stopped and restarted under load loses and duplicates nothing`(): Unit = runBlocking {
        val port = ServerSocket(0).use { it.localPort }
        val dataDir = Files.createTempDirectory("estoria-reliability-pg-").toFile()
        fun start(): EmbeddedPostgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start()
        var server = start()
        val cycles = Scale.of(ci = 2, soak = 6)
        val writers = 4
        val appends = Scale.of(ci = 80, soak = 400)
        val pool = HikariDataSource(HikariConfig().apply {
            jdbcUrl = server.getJdbcUrl("postgres", "postgres")
            username = "postgres"
            password = "postgres"
            maximumPoolSize = writers + 1
            connectionTimeout = 1_000
            poolName = "estoria-reliability-restart"
        })
        try {
            val store = PostgresEventStore.create(pool)
            val tally = Tally("fault-pg-restart", "postgresql", "$writers writers x $appends appends, server stopped and restarted $cycles times under load")
            val ledger = Ledger()
            val acked = AtomicInteger()
            val failures = AtomicInteger()
            val cyclesDone = AtomicBoolean(false)
            val jobs = (1..writers).map { w ->
                async(Dispatchers.IO) {
                    val stream = TypeId.new("rel_stream")
                    var version = 0L
                    var n = 0
                    // at least `appends` each, and on until the last restart is over (so every outage happens
                    // under load however fast the writers are), then one more append that must succeed after it
                    while (n < appends || !cyclesDone.get()) {
                        val attempt = batch(w * 1_000_000 + n++, 2)
                        val result = appendUntilDone(store, stream, attempt, ExpectedVersion.Exact(version), tally)
                        ledger.acknowledged(stream, result)
                        version = result.nextExpectedVersion
                        acked.incrementAndGet()
                    }
                    val last = appendUntilDone(store, stream, batch(w * 1_000_000 + n, 2), ExpectedVersion.Exact(version), tally)
                    ledger.acknowledged(stream, last)
                    acked.incrementAndGet()
                }
            }
            for (cycle in 1..cycles) {
                val threshold = appends * writers * cycle / (cycles + 1)
                while (acked.get() < threshold) delay(10)
                val failedBefore = failedCount(tally)
                server.close()
                tally.faults.incrementAndGet()
                // down until the writers have seen it (bounded): each of them fails at least once
                var waited = 0
                while (failedCount(tally) < failedBefore + writers && waited++ < 3_000) delay(10)
                server = start()
            }
            cyclesDone.set(true)
            jobs.awaitAll()
            tally.cases.set(acked.get().toLong())
            failures.set(failedCount(tally).toInt())
            val consistent = ledger.verify(store, tally)
            Figures.record(tally)
            assertTrue(failures.get() >= cycles, "the writers saw the outages: ${tally.figure()}")
            assertTrue(tally.figure().notes.keys.filter { it.startsWith("failed attempts") }.all { it.endsWith("StoreException") || it.endsWith("AppendOutcomeUnknownException") })
            assertTrue(consistent, "${tally.figure()}")
        } finally {
            pool.close()
            server.close()
            dataDir.deleteRecursively()
        }
    }

    private fun failedCount(tally: Tally): Long =
        tally.figure().notes.filterKeys { it.startsWith("failed attempts") }.values.sum()
}
