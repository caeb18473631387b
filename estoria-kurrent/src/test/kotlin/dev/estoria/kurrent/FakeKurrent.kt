package dev.estoria.kurrent

import dev.estoria.kurrent.internal.KurrentClientPort
import dev.estoria.kurrent.internal.KurrentRecord
import io.kurrent.dbclient.ClientErrors
import io.kurrent.dbclient.EventData
import io.kurrent.dbclient.RecordSizeExceededException
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import java.time.Instant
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/**
 * A fake KurrentDB behind the store's client port, with the server's semantics as the store relies on
 * them: stream states checked on append (`WrongExpectedVersionException`), revisions from 0, a soft
 * delete that keeps the last revision, a permanent tombstone, truncation as metadata, `$all` in commit
 * order with gaps and with system records (`$stats-…`, `$$…` metadata, `$streamDeleted`) that the
 * store must filter out, the record size limit, and the client's exception types. Every call is
 * recorded so tests can check what the store asked for; [failNextAppend] injects one failure.
 */
internal class FakeKurrent(private val maxRecordSize: Int = 1 shl 20) : KurrentClientPort {
    private class FakeStream {
        val records = ArrayList<KurrentRecord>()
        var last: Long = -1
        var deleted = false
        var tombstoned = false
        var truncateBefore = 0L
    }

    private val lock = Any()
    private val streams = HashMap<String, FakeStream>()
    private val log = ArrayList<KurrentRecord>()
    private var position = 1000L
    private var appends = 0

    /** The stream states the store appended with, in order. */
    val appendStates: MutableList<Pair<String, StreamState>> = java.util.Collections.synchronizedList(ArrayList())

    /** The `maxCount` of every read (stream and `$all`), in order. */
    val readCounts: MutableList<Long> = java.util.Collections.synchronizedList(ArrayList())

    /** The metadata bytes of every appended event, in order. */
    val metadataWritten: MutableList<ByteArray> = java.util.Collections.synchronizedList(ArrayList())

    /** Content types the client was given, in order. */
    val contentTypesWritten: MutableList<String> = java.util.Collections.synchronizedList(ArrayList())

    /** Calls of [close]. */
    val closed = AtomicInteger()

    /** Thrown by the next append, before writing ([afterWrite] false) or after writing, as a lost reply. */
    @Volatile var failNextAppend: Throwable? = null

    @Volatile var afterWrite: Boolean = false

    /** Thrown by the next stream or `$all` read. */
    @Volatile var failNextRead: Throwable? = null

    private fun nextPosition(): Long {
        position += 17 + (position % 5) // positions strictly increase, with gaps, as a log's do
        return position
    }

    private fun logRecord(stream: String, revision: Long, type: String, data: ByteArray = ByteArray(0)): KurrentRecord {
        val record = KurrentRecord(stream, revision, UUID.randomUUID(), type, data, ByteArray(0), Instant.now(), nextPosition())
        log += record
        return record
    }

    /** Writes a foreign event (not an Estoria envelope) to [stream], as another application would. */
    fun writeForeign(stream: String, type: String = "foreign_thing") {
        synchronized(lock) {
            val target = streams.getOrPut(stream) { FakeStream() }
            target.last++
            target.records += logRecord(stream, target.last, type, "{}".encodeToByteArray())
        }
    }

    override suspend fun append(stream: String, state: StreamState, events: List<EventData>): Long {
        appendStates += stream to state
        val failure = failNextAppend
        if (failure != null && !afterWrite) {
            failNextAppend = null
            throw failure
        }
        val last = synchronized(lock) {
            val target = streams[stream]
            if (target != null && target.tombstoned) throw ClientErrors.streamDeleted(stream)
            val exists = target != null && !target.deleted
            val actual = if (exists) StreamState.streamRevision(target!!.last) else StreamState.noStream()
            val ok = when (state) {
                StreamState.any() -> true
                StreamState.noStream() -> !exists
                StreamState.streamExists() -> exists
                else -> exists && target!!.last == state.toRawLong()
            }
            if (!ok) throw ClientErrors.wrongExpectedVersion(stream, state, actual)
            for (e in events) {
                if (e.eventData.size > maxRecordSize) throw RecordSizeExceededException(stream, e.eventId.toString(), e.eventData.size, maxRecordSize)
            }
            val s = target ?: FakeStream().also { streams[stream] = it }
            if (s.deleted) {
                s.deleted = false
                s.truncateBefore = s.last + 1
            }
            for (e in events) {
                s.last++
                metadataWritten += e.userMetadata
                contentTypesWritten += e.contentType
                val record = KurrentRecord(stream, s.last, e.eventId, e.eventType, e.eventData, e.userMetadata, Instant.now(), nextPosition())
                log += record
                s.records += record
            }
            // the server's own statistics land in $all between user writes
            if (++appends % 3 == 0) logRecord("\$stats-127.0.0.1:2113", appends.toLong(), "\$statsCollected")
            s.last
        }
        if (failure != null) {
            failNextAppend = null
            throw failure
        }
        return last
    }

    private fun visible(stream: String): List<KurrentRecord> = synchronized(lock) {
        val s = streams[stream] ?: throw ClientErrors.streamNotFound(stream)
        if (s.tombstoned) throw ClientErrors.streamDeleted(stream)
        if (s.deleted) throw ClientErrors.streamNotFound(stream)
        s.records.filter { it.revision >= s.truncateBefore }
    }

    private fun takeReadFailure() {
        failNextRead?.let {
            failNextRead = null
            throw it
        }
    }

    override fun readStream(stream: String, fromRevision: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord> = flow {
        readCounts += maxCount
        takeReadFailure()
        val records = visible(stream)
        val selected = if (forward) {
            records.filter { fromRevision == null || it.revision >= fromRevision }
        } else {
            records.filter { fromRevision == null || it.revision <= fromRevision }.asReversed()
        }
        for (r in selected.take(maxCount.toInt())) emit(r)
    }

    override suspend fun lastRevision(stream: String): Long? = synchronized(lock) {
        val s = streams[stream]
        if (s == null || s.deleted) null else if (s.tombstoned) throw ClientErrors.streamDeleted(stream) else s.last
    }

    override fun readAll(fromCommit: Long?, forward: Boolean, maxCount: Long): Flow<KurrentRecord> = flow {
        readCounts += maxCount
        takeReadFailure()
        val selected = synchronized(lock) {
            if (forward) {
                log.filter { fromCommit == null || (it.commitPosition ?: 0) >= fromCommit }.take(maxCount.toInt())
            } else {
                log.filter { fromCommit == null || (it.commitPosition ?: 0) <= fromCommit }.asReversed().take(maxCount.toInt())
            }
        }
        for (r in selected) emit(r)
    }

    private fun checkState(stream: String, state: StreamState): FakeStream {
        val s = streams[stream]
        val exists = s != null && !s.deleted && !s.tombstoned
        if (state == StreamState.streamExists() && !exists) throw ClientErrors.wrongExpectedVersion(stream, state, StreamState.noStream())
        return s ?: FakeStream().also { streams[stream] = it }
    }

    override suspend fun delete(stream: String, state: StreamState) {
        synchronized(lock) {
            val s = checkState(stream, state)
            s.deleted = true
            logRecord("$$$stream", 0, "\$metadata")
        }
    }

    override suspend fun tombstone(stream: String, state: StreamState) {
        synchronized(lock) {
            val s = checkState(stream, state)
            s.tombstoned = true
            logRecord(stream, Long.MAX_VALUE, "\$streamDeleted")
        }
    }

    override suspend fun truncateBefore(stream: String, revision: Long) {
        synchronized(lock) {
            val s = streams[stream] ?: FakeStream().also { streams[stream] = it }
            s.truncateBefore = revision
            logRecord("$$$stream", 0, "\$metadata")
        }
    }

    override fun close() {
        closed.incrementAndGet()
    }

    /** A store over this fake. */
    @JvmOverloads
    fun store(options: KurrentStoreOptions = KurrentStoreOptions()): KurrentEventStore = KurrentEventStore(this, options)
}

/** Stores over a fresh fake KurrentDB, for the Java tests (the fake's type is internal to the module). */
object FakeKurrentStores {
    /** A store over a new fake with [options]. */
    @JvmStatic
    @JvmOverloads
    fun store(options: KurrentStoreOptions = KurrentStoreOptions()): KurrentEventStore = FakeKurrent().store(options)

    /** A store over a new fake whose next append fails with [failure] (before writing, or after it when [afterWrite]). */
    @JvmStatic
    fun failingOnce(failure: Throwable, afterWrite: Boolean): KurrentEventStore {
        val fake = FakeKurrent()
        fake.failNextAppend = failure
        fake.afterWrite = afterWrite
        return fake.store()
    }
}
