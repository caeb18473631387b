package dev.estoria.kurrent

import dev.estoria.eventstore.kernel.DeleteArguments
import dev.estoria.EstoriaSpi
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamNotFoundException
import dev.estoria.event.AppendResult
import dev.estoria.event.Event
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.kernel.KernelEventStore
import dev.estoria.eventstore.kernel.PagedReads
import dev.estoria.id.TypeId
import dev.estoria.kurrent.internal.AppendStorage
import dev.estoria.kurrent.internal.ClientPort
import dev.estoria.kurrent.internal.GlobalLog
import dev.estoria.kurrent.internal.IdLookup
import dev.estoria.kurrent.internal.KurrentClientPort
import dev.estoria.kurrent.internal.KurrentErrors
import dev.estoria.kurrent.internal.StreamNames
import dev.estoria.kurrent.internal.StreamPages
import io.kurrent.dbclient.ConnectionStringParsingException
import io.kurrent.dbclient.KurrentDBClient
import io.kurrent.dbclient.KurrentDBConnectionString
import io.kurrent.dbclient.StreamState
import kotlinx.coroutines.flow.Flow

/**
 * An event store on KurrentDB over the official Java client (`io.kurrent:kurrentdb-client`), built on
 * the backend kernel: appends and their idempotent-retry/duplicate/conflict decision are the kernel's,
 * stream reads are the kernel's paged reads over the client's reactive reads, and [readAll] pages
 * `$all` with a frontier fixed when the read starts.
 *
 * - Stream `type_uuid` is the KurrentDB stream `[prefix-]type_uuid` ([KurrentStoreOptions.streamPrefix]);
 *   version = revision + 1; the event id is the KurrentDB event type plus event id.
 * - Content type and metadata round-trip exactly in a JSON envelope in the event's metadata bytes.
 * - Global positions are `$all` commit positions; stream reads report them on servers that populate
 *   positions on stream reads (since 2022, kurrent-io/KurrentDB#3459), `null` on older ones.
 * - An append costs up to three parallel reads (the id look-up, see
 *   [KurrentStoreOptions.duplicateWindow]), one write with an explicit revision and one read-back.
 * - Deletion is **not** the library's `StreamDeleter` (whose contract KurrentDB cannot honour: a
 *   deleted id does not restart at version 1 and `$all` keeps deleted events until a scavenge); the
 *   KurrentDB operations are offered as they are: [softDelete], [tombstone], [truncate].
 *
 * TCK: `EventStoreSuite` and `GlobalReaderSuite` (module tests `KurrentServerConformanceTest`, against
 * a real server when one is available, and `KurrentFakeConformanceTest`, against a fake client).
 */
@OptIn(EstoriaSpi::class)
public class KurrentEventStore internal constructor(
    private val port: KurrentClientPort,
    /** The settings of this store. */
    public val options: KurrentStoreOptions,
) : EventStore, GlobalReader, AutoCloseable {
    private val names = StreamNames(options.streamPrefix)
    private val lookup = IdLookup(port, names, options.duplicateWindow)
    private val pages = StreamPages(port, names)
    private val log = GlobalLog(port, names, options.pageSize)

    override suspend fun appendStream(streamId: TypeId, events: List<WritableEvent>, expected: ExpectedVersion): AppendResult =
        KernelEventStore(AppendStorage(port, names, lookup, pages, streamId, expected), options.pageSize, options.maxAttempts)
            .appendStream(streamId, events, expected)

    override fun readStream(streamId: TypeId, options: ReadOptions): Flow<Event> =
        PagedReads.stream(options, this.options.pageSize) { pages.page(streamId, it) }

    override fun readAll(afterPosition: Long, maxCount: Int?): Flow<Event> =
        PagedReads.global(afterPosition, maxCount, options.pageSize, frontier = { log.frontier() }) { frontier, after, limit ->
            log.page(frontier, after, limit)
        }

    /** The position of this store's last event in `$all` (0 when it has none); scans `$all` backward past foreign records. */
    override suspend fun headPosition(): Long = log.head()

    /**
     * Soft-deletes [streamId]: reading it fails with [StreamNotFoundException], but KurrentDB keeps its
     * last revision, so the next append **continues** the versions (it does not restart at 1), and the
     * deleted events stay in `$all` (and in [readAll]) until the server scavenges them.
     *
     * @throws StreamNotFoundException when the stream does not exist.
     */
    public suspend fun softDelete(streamId: TypeId) {
        try {
            port.delete(names.name(streamId), StreamState.streamExists())
        } catch (e: Exception) {
            if (KurrentErrors.isWrongExpectedVersion(e)) throw StreamNotFoundException(streamId, KurrentErrors.unwrap(e))
            throw KurrentErrors.other(e, "softDelete", streamId)
        }
    }

    /**
     * Tombstones [streamId]: the name can **never** be written or read again (appends fail with
     * [dev.estoria.error.StoreException], reads with [StreamNotFoundException]). Also on a never-written id,
     * which reserves the name for good.
     */
    public suspend fun tombstone(streamId: TypeId) {
        try {
            port.tombstone(names.name(streamId), StreamState.any())
        } catch (e: Exception) {
            throw KurrentErrors.other(e, "tombstone", streamId)
        }
    }

    /**
     * Truncates [streamId] before version [toVersion] + 1 through the stream's metadata (`$tb`, other
     * metadata kept): reads no longer return versions `<= toVersion`, later events keep their versions and
     * appends continue after the last version; the server removes the events at its next scavenge, and
     * `$all` returns them until then.
     *
     * @throws InvalidInputException when [toVersion] < 1.
     * @throws StreamNotFoundException when the stream does not exist.
     */
    public suspend fun truncate(streamId: TypeId, toVersion: Long) {
        DeleteArguments.checkToVersion(toVersion)
        lookup.version(streamId) ?: throw StreamNotFoundException(streamId)
        try {
            port.truncateBefore(names.name(streamId), toVersion)
        } catch (e: Exception) {
            throw KurrentErrors.other(e, "truncate", streamId)
        }
    }

    /** Starts shutting the client down when this store created it ([connect]); a client passed to [over] is left alone. */
    override fun close() {
        port.close()
    }

    override fun toString(): String = "KurrentEventStore($port, $options)"

    /** Factories. */
    public companion object {
        /**
         * A store on a new client for [connectionString] (e.g. `kurrentdb://localhost:2113?tls=false`),
         * closed by [close].
         *
         * @throws InvalidInputException when the connection string cannot be parsed.
         */
        @JvmStatic
        @JvmOverloads
        public fun connect(connectionString: String, options: KurrentStoreOptions = KurrentStoreOptions()): KurrentEventStore {
            val settings = try {
                KurrentDBConnectionString.parseOrThrow(connectionString)
            } catch (e: ConnectionStringParsingException) {
                throw InvalidInputException("invalid KurrentDB connection string", e)
            }
            return KurrentEventStore(ClientPort(KurrentDBClient.create(settings), owned = true), options)
        }

        /** A store on [client], which the caller keeps owning (closing the store leaves it open). */
        @JvmStatic
        @JvmOverloads
        public fun over(client: KurrentDBClient, options: KurrentStoreOptions = KurrentStoreOptions()): KurrentEventStore =
            KurrentEventStore(ClientPort(client, owned = false), options)
    }
}
