package dev.estoria.projection

import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * An in-process wake-up for processors: writers in the same JVM [signal] after their appends return and
 * idle processors given this signal ([ProjectionOptions.Builder.wakeUp]) read at once instead of waiting out
 * their polling back-off. No signal is lost: a processor compares the counter it saw before its read.
 * Writers in other processes are seen by polling. Wrap a store with [signalling] to signal on every append.
 */
public class AppendSignal {
    private val counter = MutableStateFlow(0L)

    /** How many signals were sent; processors wait for it to change. */
    public val signals: StateFlow<Long> = counter.asStateFlow()

    /** Wakes every processor waiting on this signal. */
    public fun signal() {
        counter.update { it + 1 }
    }
}

/**
 * [inner] with [signal] sent after every append that returns (including empty and idempotent ones); reads
 * pass through. Use it for the writers; processors read from the store itself.
 */
public fun EventStore.signalling(signal: AppendSignal): EventStore = SignallingEventStore(this, signal)

private class SignallingEventStore(private val inner: EventStore, private val signal: AppendSignal) : EventStore {
    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        inner.appendStream(streamId, events, expected).also { signal.signal() }

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = inner.readStream(streamId, options)

    override fun toString(): String = "Signalling($inner)"
}
