package dev.estoria.async.internal

import dev.estoria.async.AsyncEventStore
import dev.estoria.async.AsyncGlobalReader
import dev.estoria.async.AsyncStreamDeleter
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.toList
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow.Publisher

/** [AsyncEventStore] over [inner]: each call is one delegation through [runtime]. */
internal class AsyncEventStoreAdapter(
    private val inner: EventStore,
    private val runtime: FacadeRuntime,
) : AsyncEventStore {

    private val globalReader: Optional<AsyncGlobalReader> =
        if (inner is GlobalReader) Optional.of(GlobalReaderView(inner)) else Optional.empty()

    private val streamDeleter: Optional<AsyncStreamDeleter> =
        if (inner is StreamDeleter) Optional.of(StreamDeleterView(inner)) else Optional.empty()

    override fun readStream(streamId: TypeId, options: ReadOptions): Publisher<Event> =
        runtime.publisher(inner.readStream(streamId, options))

    override fun readStreamList(streamId: TypeId, options: ReadOptions): CompletableFuture<List<Event>> =
        runtime.future { java.util.Collections.unmodifiableList(inner.readStream(streamId, options).toList()) }

    override fun appendStream(
        streamId: TypeId,
        events: List<WritableEvent>,
        expected: ExpectedVersion,
    ): CompletableFuture<AppendResult> = runtime.future { inner.appendStream(streamId, events, expected) }

    override fun globalReader(): Optional<AsyncGlobalReader> = globalReader

    override fun streamDeleter(): Optional<AsyncStreamDeleter> = streamDeleter

    override fun isClosed(): Boolean = runtime.isClosed

    override fun close(): Unit = runtime.close()

    override fun toString(): String = "AsyncEventStore($inner)"

    private inner class GlobalReaderView(private val reader: GlobalReader) : AsyncGlobalReader {
        override fun readAll(afterPosition: Long, maxCount: Int): Publisher<Event> =
            runtime.publisher(reader.readAll(afterPosition, maxCount))

        override fun readAll(afterPosition: Long): Publisher<Event> =
            runtime.publisher(reader.readAll(afterPosition, null))

        override fun headPosition(): CompletableFuture<Long> = runtime.future { reader.headPosition() }
    }

    private inner class StreamDeleterView(private val deleter: StreamDeleter) : AsyncStreamDeleter {
        override fun delete(streamId: TypeId): CompletableFuture<Void?> =
            runtime.future { deleter.delete(streamId, null); null }

        override fun delete(streamId: TypeId, toVersion: Long): CompletableFuture<Void?> =
            runtime.future { deleter.delete(streamId, toVersion); null }
    }
}
