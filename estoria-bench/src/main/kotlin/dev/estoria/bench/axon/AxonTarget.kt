package dev.estoria.bench.axon

import dev.estoria.bench.Payloads
import dev.estoria.bench.targets.Conflict
import dev.estoria.bench.targets.Target
import org.axonframework.common.jdbc.DataSourceConnectionProvider
import org.axonframework.common.transaction.NoTransactionManager
import org.axonframework.eventhandling.GenericDomainEventMessage
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory
import java.sql.SQLException
import java.util.UUID
import javax.sql.DataSource

/**
 * Axon 4.13's `JdbcEventStorageEngine` on the same PostgreSQL, in its own schema with its default tables
 * (created by its `PostgresEventTableFactory`: BIGSERIAL global index, BYTEA payload and metadata), doing
 * the same work: 200-byte JSON payloads and 109-byte metadata ([BytesSerializer]), the next sequence number
 * as the expected version (its unique (aggregate, sequence) constraint refuses a taken one; on a refusal
 * the stream's last sequence number is looked up, as Axon's own retry would), one `readEvents` per read.
 * Connections from the same pool, no transaction manager (each append is one auto-committed JDBC batch).
 */
class AxonTarget private constructor(private val engine: JdbcEventStorageEngine) : Target<String> {
    override val role: String = "axon"

    override fun newStream(): String = UUID.randomUUID().toString()

    override suspend fun append(stream: String, expected: Long, count: Int): Long {
        val messages = List(count) { i -> GenericDomainEventMessage("bench", stream, expected + i, Payloads.data, Payloads.metadata) }
        try {
            engine.appendEvents(messages)
            return expected + count
        } catch (e: Exception) {
            if (!isUniqueViolation(e)) throw e
            throw Conflict(engine.lastSequenceNumberFor(stream).map { it + 1 }.orElse(0L))
        }
    }

    private fun isUniqueViolation(e: Throwable): Boolean =
        generateSequence(e) { it.cause }.any { it is SQLException && it.sqlState == "23505" }

    override suspend fun read(stream: String): Int {
        var n = 0
        val events = engine.readEvents(stream)
        while (events.hasNext()) {
            val m = events.next()
            m.identifier; m.sequenceNumber; m.timestamp; m.payload; m.metaData
            n++
        }
        return n
    }

    companion object {
        /** An engine on [pool] with its tables `<schema>.domain_event_entry_<suffix>` (and the snapshot table), created now. */
        fun create(pool: DataSource, schema: String, suffix: String): AxonTarget {
            pool.connection.use { c -> c.createStatement().use { it.execute("CREATE SCHEMA IF NOT EXISTS $schema") } }
            val tables = EventSchema.builder()
                .eventTable("$schema.domain_event_entry_$suffix")
                .snapshotTable("$schema.snapshot_event_entry_$suffix")
                .build()
            val engine = JdbcEventStorageEngine.builder()
                .connectionProvider(DataSourceConnectionProvider(pool))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(BytesSerializer)
                .snapshotSerializer(BytesSerializer)
                .schema(tables)
                .build()
            engine.createSchema(PostgresEventTableFactory.INSTANCE)
            return AxonTarget(engine)
        }
    }
}
