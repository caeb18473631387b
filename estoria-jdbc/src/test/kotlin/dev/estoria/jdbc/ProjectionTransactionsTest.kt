package dev.estoria.jdbc

import dev.estoria.error.EstoriaException
import dev.estoria.error.LeaseLostException
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.id.TypeId
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.Session
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.projection.BatchCommitter
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore
import dev.estoria.projection.ProjectionListener
import dev.estoria.projection.ProjectionOptions
import dev.estoria.projection.ProjectionProcessor
import dev.estoria.projection.projection
import dev.estoria.testkit.Tck
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.jetbrains.exposed.v1.jdbc.Database
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import javax.sql.DataSource
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * Same-transaction projections ([JdbcProjectionTransactions]): the read model (a table in the same database)
 * and the fenced checkpoint commit together, so a zombie instance's batch and a crashed batch roll back and
 * every event is applied exactly once; with 8 writers (and, on PostgreSQL, a writing transaction held open
 * so that lower positions commit late) the read model equals a replay of the log.
 */
abstract class ProjectionTransactionsContract {
    abstract val store: JdbcEventStore
    abstract fun dataSource(): DataSource
    abstract fun leases(): JdbcLeaseStore
    abstract fun checkpoints(): JdbcCheckpointStore
    abstract fun plain(): JdbcProjectionTransactions
    abstract fun exposed(): JdbcProjectionTransactions
    abstract val dbNow: String

    /** Appends [events] to [stream] in a transaction left open until [whileOpen] returns (PostgreSQL only). */
    open suspend fun holdingOpen(stream: TypeId, events: Int, whileOpen: suspend () -> Unit) = whileOpen()

    private val table = "rm_" + UUID.randomUUID().toString().replace("-", "").take(12)
    private val seq = AtomicLong()

    private fun createTable() = dataSource().connection.use { c ->
        c.createStatement().use { it.execute("CREATE TABLE $table (seq BIGINT NOT NULL, position BIGINT NOT NULL, stream_id TEXT NOT NULL, version BIGINT NOT NULL)") }
    }

    /** (position, stream, version) rows in application order. */
    private fun rows(): List<Triple<Long, String, Long>> = dataSource().connection.use { c ->
        c.createStatement().use { st ->
            st.executeQuery("SELECT position, stream_id, version FROM $table ORDER BY seq").use { rs ->
                buildList { while (rs.next()) add(Triple(rs.getLong(1), rs.getString(2), rs.getLong(3))) }
            }
        }
    }

    private suspend fun write(e: Event) {
        JdbcProjectionTransactions.connection().prepareStatement("INSERT INTO $table (seq, position, stream_id, version) VALUES (?, ?, ?, ?)").use { ps ->
            ps.setLong(1, seq.incrementAndGet())
            ps.setLong(2, e.globalPosition ?: -1)
            ps.setString(3, e.streamId.toString())
            ps.setLong(4, e.streamVersion)
            ps.executeUpdate()
        }
    }

    private fun options(committer: BatchCommitter, leases: LeaseStore?, listener: ProjectionListener = ProjectionListener.NONE) =
        ProjectionOptions.builder().batchSize(5).idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20)).committer(committer)
            .leases(leases, Duration.ofMillis(600)).listener(listener).build()

    private fun <T> real(block: suspend CoroutineScope.() -> T): T = runBlocking(Dispatchers.Default) {
        val scope = CoroutineScope(coroutineContext + SupervisorJob(coroutineContext[Job]) + CoroutineExceptionHandler { _, _ -> })
        try {
            scope.block()
        } finally {
            scope.coroutineContext[Job]?.cancelAndJoin()
        }
    }

    private fun seeded(name: String, first: Event) = runBlocking { checkpoints().save("$name.v1", (first.globalPosition ?: 1) - 1) }

    @Test
    fun `a zombie's batch rolls back with LeaseLostException and every event is applied exactly once`() {
        createTable()
        val stream = Tck.newStreamId()
        val written = runBlocking { store.appendStream(stream, Tck.events(6)).events }
        val name = "zombie-${UUID.randomUUID()}"
        seeded(name, written.first())
        val paused = MutableStateFlow(false)
        val pausable = object : LeaseStore by leases() {
            override suspend fun renew(lease: Lease, duration: Duration): Lease {
                paused.first { !it }
                return leases().renew(lease, duration)
            }
        }
        val entered = CompletableDeferred<Unit>()
        val resume = CompletableDeferred<Unit>()
        val gated = AtomicInteger()
        val p = projection(name) {
            onAny { e, _ ->
                if (e.streamId != stream) return@onAny
                write(e)
                if (e.streamVersion == 2L && gated.getAndIncrement() == 0) {
                    paused.value = true
                    entered.complete(Unit)
                    resume.await()
                }
            }
        }
        val rejected = Collections.synchronizedList(ArrayList<EstoriaException>())
        val listener = object : ProjectionListener {
            override fun commitRejected(projection: String, cause: EstoriaException) {
                rejected += cause
            }
        }
        real {
            val a = ProjectionProcessor(p, store, checkpoints(), options(plain(), pausable, listener))
            a.start(this)
            entered.await()
            // the zombie holds its batch open, unrenewed, until its lease has expired on the database clock
            while (!leaseExpired("$name.v1")) delay(20)
            val b = ProjectionProcessor(p, store, checkpoints(), options(plain(), leases()))
            b.start(this)
            // the zombie's renewals stay blocked: its lease is lost by the fenced commit, not by a renewal
            // racing the handler (which would cancel the batch before it reaches the commit)
            resume.complete(Unit)
            listOf(launch { a.awaitPosition(written.last().globalPosition ?: 0) }, launch { b.awaitPosition(written.last().globalPosition ?: 0) }).joinAll()
            paused.value = false
            a.stop()
            b.stop()
        }
        assertIs<LeaseLostException>(rejected.firstOrNull(), "the zombie's commit was refused: $rejected")
        assertEquals(written.map { it.globalPosition }, rows().map { it.first }, "each event applied exactly once, in order")
        assertTrue(gated.get() >= 1)
    }

    private fun leaseExpired(name: String): Boolean = dataSource().connection.use { c ->
        c.prepareStatement("SELECT count(*) FROM ${leasesTable()} WHERE name = ? AND expires_at <= $dbNow").use { ps ->
            ps.setString(1, name)
            ps.executeQuery().use { rs -> rs.next() && rs.getLong(1) == 1L }
        }
    }

    open fun leasesTable() = "estoria_leases"

    private fun crashIsRedeliveredAndAppliedOnce(committer: () -> JdbcProjectionTransactions) {
        createTable()
        val stream = Tck.newStreamId()
        val written = runBlocking { store.appendStream(stream, Tck.events(3)).events }
        val name = "crash-${UUID.randomUUID()}"
        seeded(name, written.first())
        val crashed = AtomicInteger()
        val calls = AtomicInteger()
        val p = projection(name) {
            onAny { e, _ ->
                if (e.streamId != stream) return@onAny
                calls.incrementAndGet()
                write(e)
                // the instance dies after its handlers wrote, before the checkpoint
                if (e.streamVersion == 3L && crashed.getAndIncrement() == 0) {
                    kotlinx.coroutines.currentCoroutineContext()[Job]?.cancel()
                    awaitCancellation()
                }
            }
        }
        real {
            val job = ProjectionProcessor(p, store, checkpoints(), options(committer(), null)).start(this)
            job.join()
        }
        assertEquals(emptyList(), rows(), "the crashed batch rolled back")
        assertEquals((written.first().globalPosition ?: 1) - 1, runBlocking { checkpoints().load("$name.v1") })
        real {
            val processor = ProjectionProcessor(p, store, checkpoints(), options(committer(), leases()))
            processor.start(this)
            processor.awaitPosition(written.last().globalPosition ?: 0)
            processor.stop()
        }
        assertEquals(6, calls.get(), "redelivered")
        assertEquals(written.map { it.globalPosition }, rows().map { it.first }, "applied exactly once")
    }

    @Test
    fun `a crash between handlers and checkpoint is redelivered and applied exactly once (plain JDBC)`() = crashIsRedeliveredAndAppliedOnce { plain() }

    @Test
    fun `a crash between handlers and checkpoint is redelivered and applied exactly once (Exposed)`() = crashIsRedeliveredAndAppliedOnce { exposed() }

    @Test
    fun `with 8 writers and a writing transaction held open the read model equals a replay of the log`() {
        createTable()
        val streams = List(8) { Tck.newStreamId() }
        val held = Tck.newStreamId()
        val first = runBlocking { store.appendStream(streams[0], Tck.events(1)).events }
        val name = "replay-${UUID.randomUUID()}"
        seeded(name, first.first())
        val own = (streams + held).map { it.toString() }.toSet()
        val p = projection(name) { onAny { e, _ -> if (e.streamId.toString() in own) write(e) } }
        real {
            val processor = ProjectionProcessor(p, store, checkpoints(), options(plain(), leases()))
            processor.start(this)
            // the last appended position, not headPosition(): a transaction running elsewhere on the server
            // may hold the stable prefix below the writers' last events for a moment
            val last = AtomicLong()
            holdingOpen(held, 3) {
                streams.map { s ->
                    launch {
                        repeat(10) {
                            store.appendStream(s, Tck.events(1 + it % 3)).events.forEach { e -> last.accumulateAndGet(e.globalPosition ?: 0L, ::maxOf) }
                        }
                    }
                }.joinAll()
            }
            processor.awaitPosition(maxOf(last.get(), store.headPosition()))
            processor.stop()
        }
        val replay = runBlocking { store.readAll((first.first().globalPosition ?: 1) - 1).toList() }.filter { it.streamId.toString() in own }
        val applied = rows()
        assertEquals(replay.map { it.globalPosition }, applied.map { it.first }, "the read model is a replay of the log")
        for ((_, versions) in applied.groupBy({ it.second }, { it.third })) assertEquals(versions.sorted(), versions)
    }
}

class PostgresProjectionTransactionsTest : ProjectionTransactionsContract() {
    override val store: JdbcEventStore get() = TestDatabases.pgDefault
    override fun dataSource(): DataSource = TestDatabases.postgres()
    override fun leases(): JdbcLeaseStore = pgLeases
    override fun checkpoints(): JdbcCheckpointStore = JdbcCheckpointStore.postgres(dataSource())
    override fun plain(): JdbcProjectionTransactions = JdbcProjectionTransactions.postgres(dataSource())
    override fun exposed(): JdbcProjectionTransactions = JdbcProjectionTransactions.exposed(Database.connect(dataSource()))
    override val dbNow: String = PostgresDialect.now

    override suspend fun holdingOpen(stream: TypeId, events: Int, whileOpen: suspend () -> Unit) {
        val engine = TestDatabases.pgDefault.engine
        withContext(Dispatchers.IO) {
            dataSource().connection.use { c ->
                c.autoCommit = false
                val batch = Tck.events(events)
                // the held append takes LOW positions that commit after the writers' higher ones
                engine.appendBlocking(Session(c), stream, batch, batch.map { engine.encode(stream, it) }, ExpectedVersion.NoStream)
                whileOpen()
                c.commit()
            }
        }
    }

    private companion object {
        val pgLeases by lazy { JdbcLeaseStore.postgres(TestDatabases.postgres()) }
    }
}

class SqliteProjectionTransactionsTest : ProjectionTransactionsContract() {
    override val store: JdbcEventStore get() = TestDatabases.sqliteDefault
    override fun dataSource(): DataSource = TestDatabases.sqlite()
    override fun leases(): JdbcLeaseStore = sqliteLeases
    override fun checkpoints(): JdbcCheckpointStore = sqliteCheckpoints
    override fun plain(): JdbcProjectionTransactions = sqlitePlain
    override fun exposed(): JdbcProjectionTransactions = JdbcProjectionTransactions.exposed(Database.connect(dataSource()))
    override val dbNow: String = SqliteDialect.now

    private companion object {
        val sqliteLeases by lazy { JdbcLeaseStore.sqlite(TestDatabases.sqlite()) }
        val sqliteCheckpoints by lazy { JdbcCheckpointStore.sqlite(TestDatabases.sqlite()) }
        val sqlitePlain by lazy { JdbcProjectionTransactions.sqlite(TestDatabases.sqlite()) }
    }
}
