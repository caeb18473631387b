package dev.estoria.facade.support

import dev.estoria.async.AsyncEventStore
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.StreamDeleter
import dev.estoria.id.TypeId
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.future.await
import kotlinx.coroutines.jdk9.asFlow

/**
 * The test bridge back from the Java surface to the suspend API: every call goes through [async]'s
 * futures and publishers, so the conformance suites check what a Java caller sees.
 */
class AsyncBackedEventStore(private val async: AsyncEventStore) : EventStore, GlobalReader, StreamDeleter {
    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> = async.readStream(streamId, options).asFlow()

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        async.appendStream(streamId, events, expected).await()

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> {
        val reader = async.globalReader().orElseThrow()
        return (if (maxCount == null) reader.readAll(afterPosition) else reader.readAll(afterPosition, maxCount)).asFlow()
    }

    override suspend fun headPosition(): Long = async.globalReader().orElseThrow().headPosition().await()

    override suspend fun delete(streamId: TypeId, toVersion: Long?) {
        val deleter = async.streamDeleter().orElseThrow()
        (if (toVersion == null) deleter.delete(streamId) else deleter.delete(streamId, toVersion)).await()
    }
}
