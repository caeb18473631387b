package dev.estoria.bench.targets

import dev.estoria.bench.Payloads
import java.sql.Connection
import java.sql.SQLException
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.UUID
import java.util.concurrent.atomic.AtomicLong
import javax.sql.DataSource

/**
 * The raw-JDBC baseline: the minimal SQL for the same work into the store's own events table (same
 * columns, indexes and constraints): one auto-committed multi-row `INSERT` per append, the unique
 * (stream, version) constraint as the compare-and-set (on a violation: `SELECT` the stream's version,
 * as a hand-written retry loop would), and one plain `SELECT` of a stream. Nothing else: no stream
 * row, no global-order bookkeeping, no dispatcher hop.
 */
class RawJdbcTarget(private val pool: DataSource, private val eventsTable: String, private val postgres: Boolean) : Target<String> {
    override val role: String = "raw"

    /** PostgreSQL's table takes the position from the writer: far above the store's own positions. */
    private val position = AtomicLong(1L shl 60)

    override fun newStream(): String = "raw_" + UUID.randomUUID()

    override suspend fun append(stream: String, expected: Long, count: Int): Long {
        pool.connection.use { c ->
            try {
                insert(c, stream, expected + 1, count)
                return expected + count
            } catch (e: SQLException) {
                if (!isUniqueViolation(e)) throw e
                throw Conflict(version(c, stream))
            }
        }
    }

    private fun isUniqueViolation(e: SQLException): Boolean =
        e.sqlState == "23505" || (e.message ?: "").contains("SQLITE_CONSTRAINT")

    private fun version(c: Connection, stream: String): Long =
        c.prepareStatement("SELECT coalesce(max(stream_version), 0) FROM $eventsTable WHERE stream_id = ?").use { ps ->
            ps.setString(1, stream)
            ps.executeQuery().use { rs -> rs.next(); rs.getLong(1) }
        }

    private fun insert(c: Connection, stream: String, fromVersion: Long, size: Int) {
        val columns = if (postgres) "global_position, " else ""
        val marks = if (postgres) "(?, ?, ?, ?, ?, ?, ?, ?, ?)" else "(?, ?, ?, ?, ?, ?, ?, ?)"
        val sql = buildString {
            append("INSERT INTO $eventsTable (${columns}event_id, stream_id, stream_version, type, created_at, content_type, metadata, data) VALUES ")
            repeat(size) { i -> append(if (i == 0) "" else ", ").append(marks) }
        }
        c.prepareStatement(sql).use { ps ->
            val now = OffsetDateTime.now(ZoneOffset.UTC)
            var p = 1
            repeat(size) { i ->
                if (postgres) ps.setLong(p++, position.incrementAndGet())
                ps.setString(p++, Payloads.EVENT_TYPE + "_" + UUID.randomUUID())
                ps.setString(p++, stream)
                ps.setLong(p++, fromVersion + i)
                ps.setString(p++, Payloads.EVENT_TYPE)
                if (postgres) ps.setObject(p++, now) else ps.setLong(p++, now.toInstant().toEpochMilli())
                ps.setString(p++, Payloads.CONTENT_TYPE)
                ps.setString(p++, Payloads.metadataJson)
                ps.setBytes(p++, Payloads.data)
            }
            ps.executeUpdate()
        }
    }

    override suspend fun read(stream: String): Int {
        var n = 0
        pool.connection.use { c ->
            c.prepareStatement(
                "SELECT global_position, event_id, stream_id, stream_version, created_at, content_type, metadata, data " +
                    "FROM $eventsTable WHERE stream_id = ? ORDER BY stream_version",
            ).use { ps ->
                ps.setString(1, stream)
                ps.executeQuery().use { rs ->
                    while (rs.next()) {
                        rs.getLong(1); rs.getString(2); rs.getString(3); rs.getLong(4)
                        if (postgres) rs.getObject(5, OffsetDateTime::class.java) else rs.getLong(5)
                        rs.getString(6); rs.getString(7); rs.getBytes(8)
                        n++
                    }
                }
            }
        }
        return n
    }
}
