package dev.estoria.eventstore.kernel

import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StoreException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadDirection
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.AppendValidation
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow

/**
 * An [EventStore] built on a backend's [storage]: the kernel validates the batch, handles the
 * empty append, runs the conditional write and, when it is rejected, decides with [RejectedAppend]
 * between the original result of an idempotent retry, a duplicate id, a conflict and a lost race
 * (tried again, at most [maxAttempts] times); stream reads are paged by [PagedReads] with [pageSize]
 * events per page. A backend implements the four storage operations and delegates its
 * `appendStream` and `readStream` to a kernel it holds privately (so its public type shows no SPI);
 * optional capabilities (`GlobalReader`, `StreamDeleter`) it adds itself (with [PagedReads.global]).
 *
 * TCK: every suite of the kit the backend's capabilities allow.
 */
@EstoriaSpi
public class KernelEventStore @JvmOverloads constructor(
    private val storage: StreamStorage,
    private val pageSize: Int,
    private val maxAttempts: Int = DEFAULT_MAX_ATTEMPTS,
) : EventStore {
    init {
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
        if (maxAttempts < 1) throw InvalidInputException("maxAttempts must be >= 1, was $maxAttempts")
    }

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult {
        val batch = events.toList()
        AppendValidation.validate(streamId, batch)
        if (batch.isEmpty()) {
            val current = storage.streamVersion(streamId)
            if (!expected.matches(current ?: 0L, current != null)) throw StreamVersionConflictException(streamId, expected, current ?: 0L)
            return AppendResult(emptyList(), current ?: 0L)
        }
        repeat(maxAttempts) {
            storage.tryAppend(streamId, batch, expected)?.let { return it }
            RejectedAppend.resolve(
                streamId, batch, expected,
                findStored = { storage.findStored(it) },
                readStored = { from, count -> storage.readStreamPage(streamId, StreamPageRequest(from, ReadDirection.FORWARD, count, false)) },
                currentVersion = { storage.streamVersion(streamId) },
            )?.let { return it }
        }
        throw StoreException("append", streamId, "append to $streamId lost $maxAttempts races with concurrent writers", null)
    }

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        PagedReads.stream(options, pageSize) { storage.readStreamPage(streamId, it) }

    override fun toString(): String = "KernelEventStore($storage)"

    /** Defaults. */
    public companion object {
        /** Attempts of an append that keeps losing races before it fails with [StoreException]. */
        public const val DEFAULT_MAX_ATTEMPTS: Int = 20
    }
}
