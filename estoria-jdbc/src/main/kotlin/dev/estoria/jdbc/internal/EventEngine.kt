package dev.estoria.jdbc.internal

import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.EstoriaException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.AppendValidation
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.sql.ResultSet
import java.sql.SQLException

/** The event store engine shared by both dialects. */
internal class EventEngine(
    private val runner: JdbcRunner,
    private val dialect: Dialect,
    private val names: TableNames,
    private val options: JdbcStoreOptions,
) {
    private val writeLock: Mutex? = if (dialect.singleWriter) Mutex() else null
    private val pageSize = options.pageSize

    private val columns = "global_position, event_id, stream_id, stream_version, created_at, content_type, metadata, data"

    // ---------------------------------------------------------------- append

    suspend fun append(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult {
        val batch = events.toList()
        AppendValidation.validate(streamId, batch)
        if (batch.size > PostgresDialect.MAX_BATCH) {
            throw InvalidInputException("an append holds at most ${PostgresDialect.MAX_BATCH} events, got ${batch.size}")
        }
        val encoded = batch.map { encode(streamId, it) }
        return serialized {
            guard("append", streamId) { runner.withSession { s -> appendBlocking(s, streamId, batch, encoded, expected) } }
        }
    }

    internal fun encode(streamId: TypeId, event: WritableEvent): EncodedEvent {
        val metadata = MetadataJson.encode(event.metadata)
        val data = event.data
        val size = data.size.toLong() + metadata.toByteArray(Charsets.UTF_8).size
        if (size > options.maxEventSize) {
            throw EventTooLargeException(streamId, event.type, size.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), options.maxEventSize)
        }
        return EncodedEvent(event.id.toString(), event.type, event.contentType, metadata, data)
    }

    /** Runs blocking append work with a connection; visible to tests, which pass their own session. */
    internal fun appendBlocking(
        s: Session,
        streamId: TypeId,
        batch: List<WritableEvent>,
        encoded: List<EncodedEvent>,
        expected: ExpectedVersion,
    ): AppendResult {
        val id = streamId.toString()
        if (batch.isEmpty()) {
            val current = streamVersion(s, id)
            if (!expected.matches(current ?: 0L, current != null)) throw StreamVersionConflictException(streamId, expected, current ?: 0L)
            return AppendResult(emptyList(), current ?: 0L)
        }
        repeat(MAX_ATTEMPTS) {
            val timestamp = Micros.truncate(options.clock.instant())
            val inserted = try {
                dialect.insert(s, names, id, encoded, expected, timestamp)
            } catch (e: SQLException) {
                if (dialect.isUniqueViolation(e)) null else throw writeFailure(s, streamId, e)
            }
            if (inserted != null) {
                val first = inserted.newVersion - batch.size
                val stored = batch.mapIndexed { i, e ->
                    Event(e.id, streamId, first + i + 1, inserted.positions[i], timestamp, encoded[i].data, e.contentType, e.metadata)
                }
                return AppendResult(stored, inserted.newVersion)
            }
            resolveRejected(s, streamId, batch, expected)?.let { return it }
        }
        throw StoreException("append", streamId, "append to $streamId lost $MAX_ATTEMPTS races with concurrent writers", null)
    }

    /** A failure while the write was in flight: unknown outcome when the connection is gone. */
    private fun writeFailure(s: Session, streamId: TypeId, e: SQLException): Exception {
        if (s.cancelled) return CancellationException("append cancelled").also { it.initCause(e) }
        return if (s.isAlive()) StoreException("append", streamId, e) else AppendOutcomeUnknownException(streamId, e)
    }

    /**
     * The append changed nothing: decide between an idempotent retry (returns the original result), a
     * reused event id, a version conflict, or a lost race (returns `null`: try again).
     */
    private fun resolveRejected(s: Session, streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): AppendResult? {
        val firstId = batch.first().id
        val found = findEvents(s, listOf(firstId.toString())).firstOrNull()
        if (found != null) {
            if (found.first != streamId.toString()) throw DuplicateEventException(firstId, streamId, TypeId.parse(found.first))
            val stored = readRange(s, streamId, found.second, batch.size)
            if (!AppendValidation.isSameBatch(batch, stored, expected)) throw DuplicateEventException(firstId, streamId, streamId)
            // the original result: the version right after the batch, whatever was appended since
            return AppendResult(stored, stored.last().streamVersion)
        }
        if (batch.size > 1) {
            val others = batch.drop(1).map { it.id.toString() }
            for (chunk in others.chunked(ID_CHUNK)) {
                val reused = findEvents(s, chunk).firstOrNull() ?: continue
                val reusedId = batch.first { it.id.toString() == reused.third }.id
                throw DuplicateEventException(reusedId, streamId, TypeId.parse(reused.first))
            }
        }
        val current = streamVersion(s, streamId.toString())
        if (!expected.matches(current ?: 0L, current != null)) throw StreamVersionConflictException(streamId, expected, current ?: 0L)
        return null
    }

    /** (stream id, version, event id) of the stored events among [ids]. */
    private fun findEvents(s: Session, ids: List<String>): List<Triple<String, Long, String>> {
        val marks = ids.joinToString(", ") { "?" }
        return s.prepare("SELECT stream_id, stream_version, event_id FROM ${names.events} WHERE event_id IN ($marks)").use { ps ->
            ids.forEachIndexed { i, id -> ps.setString(i + 1, id) }
            ps.executeQuery().use { rs ->
                val out = ArrayList<Triple<String, Long, String>>()
                while (rs.next()) out += Triple(rs.getString(1), rs.getLong(2), rs.getString(3))
                out
            }
        }
    }

    private fun readRange(s: Session, streamId: TypeId, fromVersion: Long, count: Int): List<Event> =
        s.prepare(
            "SELECT $columns FROM ${names.events} WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?",
        ).use { ps ->
            ps.setString(1, streamId.toString())
            ps.setLong(2, fromVersion)
            ps.setInt(3, count)
            ps.executeQuery().use { rs -> readEvents(rs, streamId) }
        }

    /** The stream's version, or `null` when the stream does not exist. */
    private fun streamVersion(s: Session, streamId: String): Long? =
        s.prepare("SELECT stream_version FROM ${names.streams} WHERE stream_id = ?").use { ps ->
            ps.setString(1, streamId)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else null }
        }

    // ---------------------------------------------------------------- reads

    fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = flow {
        val forward = options.direction == ReadDirection.FORWARD
        var remaining = options.maxCount?.toLong() ?: Long.MAX_VALUE
        var next: Long? = options.fromVersion
        var first = true
        val id = streamId.toString()
        val order = if (forward) "ASC" else "DESC"
        val bound = if (forward) ">=" else "<="
        while (remaining > 0) {
            val limit = minOf(remaining, pageSize.toLong()).toInt()
            val from = next
            val checkExists = first
            val page = guard("read", streamId) {
                runner.withSession { s ->
                    val sql = "SELECT $columns FROM ${names.events} WHERE stream_id = ?" +
                        (if (from != null) " AND stream_version $bound ?" else "") +
                        " ORDER BY stream_version $order LIMIT ?"
                    val rows = s.prepare(sql).use { ps ->
                        var p = 1
                        ps.setString(p++, id)
                        if (from != null) ps.setLong(p++, from)
                        ps.setInt(p, limit)
                        ps.executeQuery().use { rs -> readEvents(rs, streamId) }
                    }
                    if (checkExists && rows.isEmpty() && streamVersion(s, id) == null) throw StreamNotFoundException(streamId)
                    rows
                }
            }
            first = false
            for (event in page) emit(event)
            if (page.size < limit) break
            remaining -= page.size
            next = if (forward) page.last().streamVersion + 1 else page.last().streamVersion - 1
            if (next < 1) break
        }
    }

    fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> = flow {
        if (afterPosition < 0) throw InvalidInputException("afterPosition must be >= 0, was $afterPosition")
        if (maxCount != null && maxCount < 1) throw InvalidInputException("maxCount must be >= 1, was $maxCount")
        var remaining = maxCount?.toLong() ?: Long.MAX_VALUE
        var after = afterPosition
        val sql = "SELECT $columns FROM ${names.events} WHERE global_position > ? ${dialect.stableBound} " +
            "ORDER BY global_position LIMIT ?"
        while (remaining > 0) {
            val limit = minOf(remaining, pageSize.toLong()).toInt()
            val from = after
            val page = guard("readAll", null) {
                runner.withSession { s ->
                    s.prepare(sql).use { ps ->
                        ps.setLong(1, from)
                        ps.setInt(2, limit)
                        ps.executeQuery().use { rs -> readEvents(rs, null) }
                    }
                }
            }
            for (event in page) emit(event)
            if (page.size < limit) break
            remaining -= page.size
            after = page.last().globalPosition ?: after
        }
    }

    suspend fun headPosition(): Long = guard("headPosition", null) {
        runner.withSession { s ->
            s.prepare("SELECT max(global_position) FROM ${names.events} WHERE 1 = 1 ${dialect.stableBound}").use { ps ->
                ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else 0L }
            }
        }
    }

    private fun readEvents(rs: ResultSet, streamId: TypeId?): List<Event> {
        val out = ArrayList<Event>()
        var lastStreamText: String? = null
        var lastStream: TypeId? = streamId
        while (rs.next()) {
            val stream = if (streamId != null) {
                streamId
            } else {
                val text = rs.getString(3)
                if (text != lastStreamText) {
                    lastStreamText = text
                    lastStream = TypeId.parse(text)
                }
                lastStream ?: TypeId.parse(text)
            }
            out += Event(
                TypeId.parse(rs.getString(2)),
                stream,
                rs.getLong(4),
                rs.getLong(1),
                dialect.readTimestamp(rs, 5),
                rs.getBytes(8),
                rs.getString(6),
                MetadataJson.decode(rs.getString(7)),
            )
        }
        return out
    }

    // ---------------------------------------------------------------- delete

    suspend fun delete(streamId: TypeId, toVersion: Long?) {
        if (toVersion != null && toVersion < 1) throw InvalidInputException("toVersion must be >= 1, was $toVersion")
        val id = streamId.toString()
        serialized {
            guard("delete", streamId) {
                runner.withSession { s ->
                    s.transaction {
                        if (toVersion == null) {
                            val deleted = s.prepare("DELETE FROM ${names.streams} WHERE stream_id = ?").use { ps ->
                                ps.setString(1, id)
                                ps.executeUpdate()
                            }
                            if (deleted == 0) throw StreamNotFoundException(streamId)
                            s.prepare("DELETE FROM ${names.events} WHERE stream_id = ?").use { ps ->
                                ps.setString(1, id)
                                ps.executeUpdate()
                            }
                            // the stream's snapshots in this schema and prefix go with it (erasure)
                            SnapshotsSchema.deleteOf(s, dialect, names, id)
                        } else {
                            // locks the streams row so no append interleaves with the truncation
                            val locked = s.prepare(
                                "UPDATE ${names.streams} SET stream_version = stream_version WHERE stream_id = ?",
                            ).use { ps ->
                                ps.setString(1, id)
                                ps.executeUpdate()
                            }
                            if (locked == 0) throw StreamNotFoundException(streamId)
                            s.prepare("DELETE FROM ${names.events} WHERE stream_id = ? AND stream_version <= ?").use { ps ->
                                ps.setString(1, id)
                                ps.setLong(2, toVersion)
                                ps.executeUpdate()
                            }
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private suspend fun <T> serialized(block: suspend () -> T): T = writeLock?.withLock { block() } ?: block()

    internal companion object {
        const val MAX_ATTEMPTS = 20
        const val ID_CHUNK = 500
    }
}
