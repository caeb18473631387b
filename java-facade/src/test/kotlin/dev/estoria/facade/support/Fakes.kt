package dev.estoria.facade.support

import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import java.time.Instant
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/**
 * A fake event store whose every operation hangs until cancelled, recording that it started and that it
 * was cancelled (the coroutine saw a CancellationException). [readStream] emits one event every 10 ms forever.
 */
class HangingEventStore : EventStore {
    val started = CountDownLatch(1)
    val cancelled = CountDownLatch(1)
    val emitted = AtomicInteger()

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult {
        started.countDown()
        try {
            awaitCancellation()
        } catch (e: CancellationException) {
            cancelled.countDown()
            throw e
        }
    }

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = flow {
        started.countDown()
        try {
            var version = 1L
            while (true) {
                emit(Event(TypeId.new("tick"), streamId, version++, null, Instant.EPOCH, ByteArray(0), "", emptyMap()))
                emitted.incrementAndGet()
                delay(10)
            }
        } catch (e: CancellationException) {
            cancelled.countDown()
            throw e
        }
    }
}

/** Only the [EventStore] interface of [inner]: no global reads, no deletes. */
class PlainEventStore(private val inner: EventStore) : EventStore {
    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = inner.readStream(streamId, options)

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        inner.appendStream(streamId, events, expected)
}
