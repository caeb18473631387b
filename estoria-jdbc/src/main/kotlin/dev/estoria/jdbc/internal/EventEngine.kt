package dev.estoria.jdbc.internal

import dev.estoria.eventstore.kernel.DeleteArguments
import dev.estoria.EstoriaSpi
import dev.estoria.error.AppendOutcomeUnknownException
import dev.estoria.error.CorruptedDataException
import dev.estoria.error.EstoriaException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.GlobalPositionException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.StoredText
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.AppendValidation
import dev.estoria.eventstore.kernel.PagedReads
import dev.estoria.eventstore.kernel.RejectedAppend
import dev.estoria.eventstore.kernel.StoredEventRef
import dev.estoria.eventstore.FrontierStatus
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcStoreOptions
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.sql.ResultSet
import java.sql.SQLException
import java.time.Instant

/** The event store engine shared by both dialects. */
@OptIn(EstoriaSpi::class)
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
        val coalescer = coalescer
        return serialized {
            guard("append", streamId) {
                if (coalescer != null && batch.isNotEmpty() && batch.size <= AppendCoalescer.MAX_COALESCED_BATCH) {
                    coalescer.append(PendingAppend(streamId, batch, encoded, expected))
                } else {
                    runner.withSession { s -> appendBlocking(s, streamId, batch, encoded, expected) }
                }
            }
        }
    }

    /** Coalesces concurrent appends when the dialect can and the options ask for it ([JdbcStoreOptions.coalesceAppends]). */
    private val coalescer: AppendCoalescer? =
        if (dialect.coalesces && options.coalesceAppends) {
            AppendCoalescer(
                runner, options.dispatcher, options.appendWriters,
                writeOne = { s, p -> appendBlocking(s, p.streamId, p.batch, p.member.events, p.member.expected) },
                writeGroup = ::writeGroup,
            )
        } else {
            null
        }

    /** The appends queued for the next coalesced statement (tests build groups deterministically with it). */
    internal val queuedAppends: Int get() = coalescer?.queued ?: 0

    /**
     * Writes [group] (two or more appends to distinct streams) in one statement, completing each member:
     * stored, or decided alone on the same connection when its compare-and-set refused it (conflict,
     * idempotent retry, lost race: exactly the outcome it would have had alone). When the statement fails,
     * nothing was written: with the connection gone every member's outcome is unknown (the commit may have
     * happened), otherwise (a reused event id, a serialization failure) each member is written alone.
     */
    private fun writeGroup(s: Session, group: List<PendingAppend>) {
        val timestamp = Micros.truncate(options.clock.instant())
        val inserted = try {
            dialect.insertGroup(s, names, group.map { it.member }, timestamp, highWater)
        } catch (e: SQLException) {
            if (!s.isAlive()) {
                for (p in group) p.fail(AppendOutcomeUnknownException(p.streamId, e))
                return
            }
            null
        }
        group.forEachIndexed { i, p ->
            val stored = inserted?.get(i)
            if (stored != null) {
                p.complete { result(p.streamId, p.batch, p.member.events, stored, timestamp) }
            } else {
                // refused by its compare-and-set in the group: decide it at once, without inserting again
                p.complete { appendBlocking(s, p.streamId, p.batch, p.member.events, p.member.expected, refused = inserted != null) }
            }
        }
    }

    /** The result of an append that stored [inserted] at [timestamp]. */
    private fun result(streamId: TypeId, batch: List<WritableEvent>, encoded: List<EncodedEvent>, inserted: Inserted, timestamp: Instant): AppendResult {
        val first = inserted.newVersion - batch.size
        val stored = batch.mapIndexed { i, e ->
            Event(e.id, streamId, first + i + 1, inserted.positions[i], timestamp, encoded[i].data, e.contentType, e.metadata)
        }
        return AppendResult(stored, inserted.newVersion)
    }

    /**
     * Encodes [event] for storage, refusing it when the bytes it takes in its row (payload, metadata JSON,
     * content type, type, event id and stream id, all in UTF-8) exceed [JdbcStoreOptions.maxEventSize].
     */
    internal fun encode(streamId: TypeId, event: WritableEvent): EncodedEvent {
        val metadata = MetadataJson.encode(event.metadata)
        val data = event.data
        val id = event.id.toString()
        val size = data.size.toLong() + StoredText.utf8Length(metadata) + StoredText.utf8Length(event.contentType) +
            event.type.length + id.length + streamId.toString().length
        if (size > options.maxEventSize) {
            throw EventTooLargeException(streamId, event.type, size.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), options.maxEventSize)
        }
        return EncodedEvent(id, event.type, event.contentType, metadata, data)
    }

    /**
     * Runs blocking append work with a connection; visible to tests, which pass their own session. [refused]:
     * a group statement already tried this append and its compare-and-set refused it, so the first step is
     * the decision (idempotent retry, conflict or lost race), not another insert.
     */
    internal fun appendBlocking(
        s: Session,
        streamId: TypeId,
        batch: List<WritableEvent>,
        encoded: List<EncodedEvent>,
        expected: ExpectedVersion,
        refused: Boolean = false,
    ): AppendResult {
        val id = streamId.toString()
        if (batch.isEmpty()) {
            val current = streamVersion(s, id)
            if (!expected.matches(current ?: 0L, current != null)) throw StreamVersionConflictException(streamId, expected, current ?: 0L)
            return AppendResult(emptyList(), current ?: 0L)
        }
        // A rejected append whose expected version still holds lost a race: a concurrent writer of the
        // stream committed first (its position or its version won), so every retry follows another
        // writer's success. Retries are bounded by MAX_ATTEMPTS in total and by MAX_IDLE_ATTEMPTS in a row
        // without the stream's version moving (no one else progressed: something other than a race).
        var seen: Long? = null
        var idle = 0
        var decideFirst = refused
        repeat(MAX_ATTEMPTS) {
            if (!decideFirst) {
                val timestamp = Micros.truncate(options.clock.instant())
                val inserted = try {
                    dialect.insert(s, names, id, encoded, expected, timestamp, highWater)
                } catch (e: SQLException) {
                    if (dialect.isUniqueViolation(e) || dialect.isSerializationFailure(e)) null else throw writeFailure(s, streamId, e)
                }
                if (inserted != null) return result(streamId, batch, encoded, inserted, timestamp)
            }
            decideFirst = false
            val current = resolveRejected(s, streamId, batch, expected)
            if (current.result != null) return current.result
            dialect.positionFault(s, names, highWater.takeIf { it != UNKNOWN } ?: 0L)?.let { throw GlobalPositionException("append", it) }
            if (highWater == UNKNOWN) highWater = dialect.storedHighWater(s, names)
            idle = if (current.version == seen) idle + 1 else 0
            seen = current.version
            if (idle >= MAX_IDLE_ATTEMPTS) {
                throw StoreException("append", streamId, "append to $streamId was rejected $idle times while the stream stayed at version ${current.version}", null)
            }
        }
        throw StoreException("append", streamId, "append to $streamId lost $MAX_ATTEMPTS races with concurrent writers", null)
    }

    /**
     * The floor new global positions must exceed (PostgreSQL's guard against a transaction counter
     * restarted lower); [UNKNOWN] until the first rejected append loads it from the database, so a store
     * started on a restored database refuses its first write instead of writing below stored positions.
     */
    @Volatile
    private var highWater: Long = if (dialect.singleWriter) 0L else UNKNOWN

    /** The outcome of a rejected append: the [result] to return (idempotent retry), or the stream's [version] after losing a race. */
    private class Resolution(val result: AppendResult?, val version: Long)

    /** A failure while the write was in flight: unknown outcome when the connection is gone. */
    private fun writeFailure(s: Session, streamId: TypeId, e: SQLException): Exception {
        if (s.cancelled) return CancellationException("append cancelled").also { it.initCause(e) }
        return if (s.isAlive()) StoreException("append", streamId, e) else AppendOutcomeUnknownException(streamId, e)
    }

    /**
     * The append changed nothing: decide between an idempotent retry (returns the original result), a
     * reused event id, a version conflict, or a lost race (returns `null`: try again).
     */
    private fun resolveRejected(s: Session, streamId: TypeId, batch: List<WritableEvent>, expected: ExpectedVersion): Resolution {
        // one round trip for the common case: the stream's version and where the batch's ids are stored,
        // read together in one snapshot; larger batches look their ids up in chunks
        val lookup = if (batch.size <= RejectedAppend.ID_CHUNK) lookUp(s, streamId.toString(), batch.map { it.id }) else null
        var current = 0L
        val result = RejectedAppend.resolve(
            streamId, batch, expected,
            findStored = { ids -> if (lookup != null) ids.toHashSet().let { wanted -> lookup.stored.filter { it.eventId in wanted } } else findEvents(s, ids) },
            readStored = { from, count -> readRange(s, streamId, from, count) },
            currentVersion = {
                (if (lookup != null) lookup.version else streamVersion(s, streamId.toString())).also { current = it ?: 0L }
            },
        )
        return Resolution(result, result?.nextExpectedVersion ?: current)
    }

    /** What a rejected append's decision needs: the stream's [version] (`null`: no stream) and the [stored] events among its ids. */
    private class Lookup(val version: Long?, val stored: List<StoredEventRef>)

    /** [Lookup] of [streamId] and [ids] in ONE statement (a row for the version, joined with the stored ids, if any). */
    private fun lookUp(s: Session, streamId: String, ids: List<TypeId>): Lookup {
        val sql = lookUpSql[ids.size] ?: lookUpSql(ids.size).also { lookUpSql[ids.size] = it }
        return s.prepare(sql).use { ps ->
            ps.setString(1, streamId)
            ids.forEachIndexed { i, id -> ps.setString(i + 2, id.toString()) }
            ps.executeQuery().use { rs ->
                var version: Long? = null
                val stored = ArrayList<StoredEventRef>()
                while (rs.next()) {
                    version = rs.getLong(5).takeUnless { rs.wasNull() }
                    if (rs.getString(1) != null) stored += storedRef(rs)
                }
                Lookup(version, stored)
            }
        }
    }

    /** [lookUp]'s statement by number of ids (up to [RejectedAppend.ID_CHUNK]), built once each; a racy fill only builds one twice. */
    private val lookUpSql = arrayOfNulls<String>(RejectedAppend.ID_CHUNK + 1)

    private fun lookUpSql(ids: Int): String =
        "SELECT e.stream_id, e.stream_version, e.event_id, e.global_position, v.version " +
            "FROM (SELECT (SELECT stream_version FROM ${names.streams} WHERE stream_id = ?) AS version) AS v " +
            "LEFT JOIN ${names.events} AS e ON e.event_id IN (${List(ids) { "?" }.joinToString(", ")})"

    /** Where the stored events among [ids] are. */
    private fun findEvents(s: Session, ids: List<TypeId>): List<StoredEventRef> {
        val marks = ids.joinToString(", ") { "?" }
        return s.prepare("SELECT stream_id, stream_version, event_id, global_position FROM ${names.events} WHERE event_id IN ($marks)").use { ps ->
            ids.forEachIndexed { i, id -> ps.setString(i + 1, id.toString()) }
            ps.executeQuery().use { rs ->
                val out = ArrayList<StoredEventRef>()
                while (rs.next()) out += storedRef(rs)
                out
            }
        }
    }

    /** The stored event of the current row (columns: stream id, stream version, event id, global position). */
    private fun storedRef(rs: ResultSet): StoredEventRef {
        val stream = rs.getString(1)
        val position = rs.getLong(4)
        return StoredEventRef(
            decoded(stream, position, "event_id") { TypeId.parse(rs.getString(3)) },
            decoded(stream, position, "stream_id") { TypeId.parse(stream) },
            rs.getLong(2),
        )
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

    fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> {
        val id = streamId.toString()
        return PagedReads.stream(options, pageSize) { page ->
            val order = if (page.forward) "ASC" else "DESC"
            val bound = if (page.forward) ">=" else "<="
            val from = page.fromVersion
            guard("read", streamId) {
                runner.withSession { s ->
                    val sql = "SELECT $columns FROM ${names.events} WHERE stream_id = ?" +
                        (if (from != null) " AND stream_version $bound ?" else "") +
                        " ORDER BY stream_version $order LIMIT ?"
                    val rows = s.prepare(sql).use { ps ->
                        var p = 1
                        ps.setString(p++, id)
                        if (from != null) ps.setLong(p++, from)
                        ps.setInt(p, page.limit)
                        ps.executeQuery().use { rs -> readEvents(rs, streamId) }
                    }
                    if (page.first && rows.isEmpty() && streamVersion(s, id) == null) throw StreamNotFoundException(streamId)
                    rows
                }
            }
        }
    }

    /**
     * The global log from [afterPosition], up to a frontier fixed when the read starts, paged by the kernel
     * ([PagedReads.global]): the first page computes the stable prefix's bound ([Dialect.frontier]) in the
     * same statement as its rows, later pages pass it as a parameter. Events that commit while the read
     * pages are left for the next read.
     */
    fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> =
        PagedReads.global(afterPosition, maxCount, pageSize, frontier = { ReadBound() }) { bound, after, limit ->
            readGlobalPage(bound, after, limit)
        }

    /** The frontier of one global read: unknown until its first page returns it. */
    private class ReadBound {
        var value: Long? = null
    }

    private val firstGlobalPage = "WITH f AS (SELECT ${dialect.frontier(names)} AS bound) SELECT $columns, f.bound FROM ${names.events}, f " +
        "WHERE global_position > ? AND global_position < f.bound ORDER BY global_position LIMIT ?"
    private val nextGlobalPage =
        "SELECT $columns FROM ${names.events} WHERE global_position > ? AND global_position < ? ORDER BY global_position LIMIT ?"

    private suspend fun readGlobalPage(bound: ReadBound, after: Long, limit: Int): List<Event> = guard("readAll", null) {
        runner.withSession { s ->
            val known = bound.value
            s.prepare(if (known == null) firstGlobalPage else nextGlobalPage).use { ps ->
                var p = 1
                ps.setLong(p++, after)
                if (known != null) ps.setLong(p++, known)
                ps.setInt(p, limit)
                ps.executeQuery().use { rs ->
                    if (known == null) readEvents(capturingLong(rs, FRONTIER_COLUMN) { bound.value = it }, null) else readEvents(rs, null)
                }
            }
        }
    }

    suspend fun headPosition(): Long = guard("headPosition", null) {
        runner.withSession { s ->
            s.prepare("SELECT max(global_position) FROM ${names.events} WHERE global_position < ${dialect.frontier(names)}").use { ps ->
                ps.executeQuery().use { rs -> if (rs.next()) rs.getLong(1) else 0L }
            }
        }
    }

    suspend fun frontierStatus(): FrontierStatus = guard("frontierStatus", null) {
        runner.withSession { s -> FrontierQueries.status(s, dialect, names) }
    }

    /**
     * Decodes the rows of [rs] (columns as in [columns]); [streamId] is the stream being read, `null` for
     * global reads. A field that cannot be decoded is stored data gone bad, never the caller's input:
     * [CorruptedDataException] names the stream id as stored, the global position and the field.
     */
    private fun readEvents(rs: ResultSet, streamId: TypeId?): List<Event> {
        val out = ArrayList<Event>()
        val readStreamText = streamId?.toString()
        var lastStreamText: String? = null
        var lastStream: TypeId? = streamId
        while (rs.next()) {
            val position = rs.getLong(1)
            val streamText = readStreamText ?: rs.getString(3)
            val cached = lastStream
            val stream = if (cached != null && (streamId != null || streamText == lastStreamText)) {
                cached
            } else {
                decoded(streamText, position, "stream_id") { TypeId.parse(streamText) }.also {
                    lastStream = it
                    lastStreamText = streamText
                }
            }
            out += Event(
                decoded(streamText, position, "event_id") { TypeId.parse(rs.getString(2)) },
                stream,
                rs.getLong(4),
                position,
                decoded(streamText, position, "created_at") { dialect.readTimestamp(rs, 5) },
                decoded(streamText, position, "data") { rs.getBytes(8) },
                decoded(streamText, position, "content_type") { rs.getString(6) },
                decoded(streamText, position, "metadata") { MetadataJson.decode(rs.getString(7)) },
            )
        }
        return out
    }

    /** [block]'s value, or [CorruptedDataException] when it fails to decode the stored [field] or finds it null. */
    private inline fun <T : Any> decoded(streamText: String?, position: Long, field: String, block: () -> T?): T {
        val value = try {
            block()
        } catch (e: SQLException) {
            throw e
        } catch (e: Exception) {
            // a parse failure (InvalidInputException, SerializationException, DateTimeException, …) of stored data
            throw CorruptedDataException(streamText.toString(), position, field, e)
        }
        return value ?: throw CorruptedDataException(streamText.toString(), position, field, null)
    }

    // ---------------------------------------------------------------- delete

    /** Closes the store named [storeName]: see [JdbcRunner.close]. */
    fun close(storeName: String, owned: AutoCloseable?): Unit = runner.close(storeName, owned, dialect::onClose)

    suspend fun delete(streamId: TypeId, toVersion: Long?) {
        DeleteArguments.checkToVersion(toVersion)
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
        /** Attempts of one append in total (each lost attempt follows another writer's commit on the stream). */
        const val MAX_ATTEMPTS = 1000

        /** Rejected attempts in a row without the stream's version moving. */
        const val MAX_IDLE_ATTEMPTS = 20

        /** [highWater] not loaded yet: the position guard rejects every append until it is. */
        const val UNKNOWN = Long.MAX_VALUE

        /** The first page of a global read returns its frontier after the event columns. */
        const val FRONTIER_COLUMN = 9
    }
}
