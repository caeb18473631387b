package dev.estoria.reliability

import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.RetryPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.cache.redis.RedisCacheOptions
import dev.estoria.error.DuplicateEventException
import dev.estoria.error.EstoriaException
import dev.estoria.error.EventTooLargeException
import dev.estoria.error.InvalidInputException
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.event.ExpectedVersion
import dev.estoria.event.GlobalReadOptions
import dev.estoria.event.ReadOptions
import dev.estoria.event.WritableEvent
import dev.estoria.eventstore.GlobalReader
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.JdbcTenants
import dev.estoria.mongo.MongoStoreOptions
import dev.estoria.tenancy.TenantContext
import dev.estoria.testkit.TckCounter
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withContext
import kotlin.reflect.KClass

/** What a bad-input case must end in. */
sealed class Expect {
    /** The caller's input: this exception type (InvalidInputException or a more precise refusal). */
    class Refused(val type: KClass<out EstoriaException>) : Expect()

    /** Stored data that cannot be read: a typed store or codec error, never [InvalidInputException]. */
    object StoredDataError : Expect()
}

/**
 * One bad-input case: [act] runs against a backend whose stream [Seeded.stream] holds three events;
 * [corrupt] (when set) edits a row behind the store's back before, and [repair] restores it after.
 */
class BadInputCase(
    val group: String,
    val label: String,
    val expect: Expect,
    val corrupt: (suspend (Backend, Seeded) -> Unit)? = null,
    val repair: (suspend (Backend, Seeded) -> Unit)? = null,
    val act: suspend (Backend, Seeded) -> Unit,
)

/** The stream every case may touch, written before the cases run. */
class Seeded(val stream: TypeId, val eventIds: List<TypeId>, val positions: List<Long>)

/** The cases, ≥ 100 per JDBC backend. */
object BadInputCases {
    private val uuid = "0190f3a2-7b1c-7d4e-8f00-0123456789ab"
    private val invalid = Expect.Refused(InvalidInputException::class)

    private fun ok(type: String = "rel_event"): WritableEvent = WritableEvent.of(type, "{}".encodeToByteArray())

    /** Text that no backend stores the same way: NUL, lone high and low surrogates, a reversed pair. */
    private val unstorable = mapOf("NUL" to "a\u0000b", "lone high surrogate" to "a\uD800b", "lone low surrogate" to "a\uDC00b", "reversed pair" to "a\uDC00\uD800b")

    private fun malformedIds(): List<BadInputCase> {
        val ids = listOf(
            "", "account", "account_", "_$uuid", "account-$uuid", "account__$uuid", "Account_$uuid", "account_${uuid.uppercase()}",
            "account_${uuid.replace("-", "")}", "account_${uuid}0", " account_$uuid", "account_$uuid ", "1account_$uuid",
            "acc\u0000_$uuid", "acc\uD800_$uuid", "account_${uuid.replace('a', 'g')}", "account_{$uuid}", "${"a".repeat(64)}_$uuid",
        )
        return ids.flatMap { text ->
            listOf(
                BadInputCase("malformed ids", "read stream '${printable(text)}'", invalid) { b, _ -> b.store.readStream(TypeId.parse(text)).toList() },
                BadInputCase("malformed ids", "append to '${printable(text)}'", invalid) { b, _ -> b.store.appendStream(TypeId.parse(text), listOf(ok())) },
            )
        }
    }

    private fun typeNames(): List<BadInputCase> {
        val names = listOf("", "Upper", "with space", "trailing_", "_leading", "1digit", "dash-ed", "dotted.name", "é", "a".repeat(64), "semi;colon", "quote'd")
        val unstorableNames = unstorable.map { (what, text) -> "$what in a type name" to text }
        return (names.map { it to it } + unstorableNames).flatMap { (label, name) ->
            listOf(
                BadInputCase("type names", "event type '${printable(label)}'", invalid) { b, s -> b.store.appendStream(s.stream, listOf(WritableEvent.of(name, byteArrayOf()))) },
                BadInputCase("type names", "stream type '${printable(label)}'", invalid) { b, _ -> b.store.appendStream(TypeId.new(name), listOf(ok())) },
            )
        }
    }

    private fun metadataAndContentType(): List<BadInputCase> {
        val meta = listOf(
            "reserved key estoria.x" to mapOf("estoria.x" to "1"),
            "reserved key estoria." to mapOf("estoria." to "1"),
            "blank key" to mapOf("" to "1"),
            "whitespace key" to mapOf("  " to "1"),
        ) + unstorable.flatMap { (what, text) -> listOf("$what in a metadata key" to mapOf(text to "v"), "$what in a metadata value" to mapOf("k" to text)) }
        val metaCases = meta.map { (label, metadata) ->
            BadInputCase("metadata", label, invalid) { b, s -> b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", byteArrayOf(), metadata = metadata))) }
        }
        val contentCases = unstorable.map { (what, text) ->
            BadInputCase("content type", "$what in a content type", invalid) { b, s -> b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", byteArrayOf(), text))) }
        }
        val tooLarge = Expect.Refused(EventTooLargeException::class)
        val sizes = listOf(
            BadInputCase("size", "oversize metadata value (maxEventSize + 1 with the rest)", tooLarge) { b, s ->
                b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", byteArrayOf(), metadata = mapOf("k" to "x".repeat(b.options.maxEventSize)))))
            },
            BadInputCase("size", "oversize payload", tooLarge) { b, s -> b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", ByteArray(b.options.maxEventSize + 1)))) },
            BadInputCase("size", "oversize content type", tooLarge) { b, s -> b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", byteArrayOf(), "x".repeat(b.options.maxEventSize)))) },
            BadInputCase("size", "one oversize event in a batch of three writes none", tooLarge) { b, s ->
                b.store.appendStream(s.stream, listOf(ok(), WritableEvent.of("rel_event", ByteArray(b.options.maxEventSize + 1)), ok()))
            },
        )
        return metaCases + contentCases + sizes
    }

    private fun versionsAndCounts(): List<BadInputCase> {
        val conflict = Expect.Refused(StreamVersionConflictException::class)
        return listOf(
            BadInputCase("versions", "Exact(-1)", invalid) { b, s -> b.store.appendStream(s.stream, listOf(ok()), ExpectedVersion.Exact(-1)) },
            BadInputCase("versions", "Exact(Long.MIN_VALUE)", invalid) { b, s -> b.store.appendStream(s.stream, listOf(ok()), ExpectedVersion.Exact(Long.MIN_VALUE)) },
            BadInputCase("versions", "Exact(Long.MAX_VALUE)", conflict) { b, s -> b.store.appendStream(s.stream, listOf(ok()), ExpectedVersion.Exact(Long.MAX_VALUE)) },
            BadInputCase("versions", "Exact(2) on a stream at 3", conflict) { b, s -> b.store.appendStream(s.stream, listOf(ok()), ExpectedVersion.Exact(2)) },
            BadInputCase("versions", "NoStream on an existing stream", conflict) { b, s -> b.store.appendStream(s.stream, listOf(ok()), ExpectedVersion.NoStream) },
            BadInputCase("versions", "StreamExists on a new stream", conflict) { b, _ -> b.store.appendStream(TypeId.new("rel_stream"), listOf(ok()), ExpectedVersion.StreamExists) },
            BadInputCase("versions", "Exact(1) on a new stream", conflict) { b, _ -> b.store.appendStream(TypeId.new("rel_stream"), listOf(ok()), ExpectedVersion.Exact(1)) },
            BadInputCase("versions", "an event id twice in one batch", invalid) { b, s -> val e = ok(); b.store.appendStream(s.stream, listOf(e, ok(), e)) },
            BadInputCase("versions", "a stored event id reused with other content", Expect.Refused(DuplicateEventException::class)) { b, s ->
                b.store.appendStream(s.stream, listOf(WritableEvent.of("rel_event", "{\"other\":1}".encodeToByteArray(), id = s.eventIds[0])))
            },
            BadInputCase("counts", "ReadOptions fromVersion 0", invalid) { b, s -> b.store.readStream(s.stream, ReadOptions(fromVersion = 0)).toList() },
            BadInputCase("counts", "ReadOptions fromVersion -1", invalid) { b, s -> b.store.readStream(s.stream, ReadOptions(fromVersion = -1)).toList() },
            BadInputCase("counts", "ReadOptions fromVersion Long.MIN_VALUE", invalid) { b, s -> b.store.readStream(s.stream, ReadOptions(fromVersion = Long.MIN_VALUE)).toList() },
            BadInputCase("counts", "ReadOptions maxCount 0", invalid) { b, s -> b.store.readStream(s.stream, ReadOptions(maxCount = 0)).toList() },
            BadInputCase("counts", "ReadOptions maxCount Int.MIN_VALUE", invalid) { b, s -> b.store.readStream(s.stream, ReadOptions(maxCount = Int.MIN_VALUE)).toList() },
            BadInputCase("counts", "readAll afterPosition -1", invalid) { b, _ -> (b.store as GlobalReader).readAll(-1).toList() },
            BadInputCase("counts", "readAll afterPosition Long.MIN_VALUE", invalid) { b, _ -> (b.store as GlobalReader).readAll(Long.MIN_VALUE).toList() },
            BadInputCase("counts", "readAll maxCount 0", invalid) { b, _ -> (b.store as GlobalReader).readAll(0, 0).toList() },
            BadInputCase("counts", "readAll maxCount -1", invalid) { b, _ -> (b.store as GlobalReader).readAll(0, -1).toList() },
            BadInputCase("counts", "GlobalReadOptions afterPosition -1", invalid) { b, _ -> (b.store as GlobalReader).readAll(GlobalReadOptions(-1)).toList() },
            BadInputCase("counts", "delete toVersion 0", invalid) { b, s -> b.store.delete(s.stream, 0) },
            BadInputCase("counts", "delete toVersion Long.MIN_VALUE", invalid) { b, s -> b.store.delete(s.stream, Long.MIN_VALUE) },
            BadInputCase("aggregates", "load toVersion 0", invalid) { b, _ -> EventSourcedAggregateStore(b.store, TckCounter.definition).load(TypeId.new(TckCounter.TYPE), 0) },
            BadInputCase("aggregates", "load an id of another type", invalid) { b, s -> EventSourcedAggregateStore(b.store, TckCounter.definition).load(s.stream) },
            BadInputCase("aggregates", "RetryPolicy maxAttempts 0", invalid) { _, _ -> RetryPolicy(maxAttempts = 0) },
            BadInputCase("aggregates", "SnapshotPolicy everyNEvents 0", invalid) { _, _ -> SnapshotPolicy.everyNEvents(0) },
            BadInputCase("aggregates", "snapshot store keepLast 0", invalid) { b, _ ->
                if (b.name == "postgresql") JdbcSnapshotStore.postgres(b.dataSource, b.options, keepLast = 0) else JdbcSnapshotStore.sqlite(b.dataSource, b.options, keepLast = 0)
            },
        )
    }

    private fun configuration(): List<BadInputCase> {
        val schemas = listOf("a; drop table x", "public\"", "Upper", "select", "user", "pg_catalog", "pg_x", "a b", "", "a".repeat(64), "é", "a-b", "1a") +
            unstorable.values
        val prefixes = listOf("x'; --", "sqlite_", "a".repeat(31), "Upper", "a-b", "a b", "a.b", "1a") + unstorable.values
        val tenants = listOf("Upper", "a;drop", "1a", "", "a".repeat(41), "../etc", "a-b", "a.b") + unstorable.values
        return schemas.map { s -> BadInputCase("configuration", "schema '${printable(s)}'", invalid) { _, _ -> JdbcStoreOptions.builder().schema(s).build() } } +
            prefixes.map { p -> BadInputCase("configuration", "table prefix '${printable(p)}'", invalid) { _, _ -> JdbcStoreOptions.builder().tablePrefix(p).build() } } +
            tenants.map { t ->
                BadInputCase("configuration", "tenant '${printable(t)}'", invalid) { b, _ ->
                    val tenants = if (b.name == "postgresql") JdbcTenants.postgresSchemas(b.dataSource) else JdbcTenants.sqliteFiles(Databases.sqliteDir.resolve("tenants"))
                    withContext(TenantContext(t)) { tenants.appendStream(TypeId.new("rel_stream"), listOf(ok())) }
                }
            } + listOf(
                BadInputCase("configuration", "tenant schema prefix 'pg_'", invalid) { b, _ -> JdbcTenants.postgresSchemas(b.dataSource, schemaPrefix = "pg_") },
                BadInputCase("configuration", "maxEventSize 0", invalid) { _, _ -> JdbcStoreOptions.builder().maxEventSize(0).build() },
                BadInputCase("configuration", "pageSize 0", invalid) { _, _ -> JdbcStoreOptions.builder().pageSize(0).build() },
                BadInputCase("configuration", "Redis key prefix with a hash tag", invalid) { _, _ -> RedisCacheOptions.builder().keyPrefix("a{b}") },
                BadInputCase("configuration", "MongoDB collection prefix 'a\$b'", invalid) { _, _ -> MongoStoreOptions.builder().collectionPrefix("a\$b").build() },
                BadInputCase("configuration", "MongoDB collection prefix 'system'", invalid) { _, _ -> MongoStoreOptions.builder().collectionPrefix("system").build() },
                BadInputCase("configuration", "MongoDB collection prefix with NUL", invalid) { _, _ -> MongoStoreOptions.builder().collectionPrefix("a\u0000").build() },
            )
    }

    /** Rows edited behind the store's back: reading them is a stored-data error, never the caller's. */
    private fun corrupted(): List<BadInputCase> {
        val edits = listOf(
            Triple("event_id", "not_an_id", "an event id that is not a type id"),
            Triple("metadata", "not json", "metadata that is not JSON"),
            Triple("metadata", "{\"k\":1}", "metadata with a number value"),
        )
        return edits.flatMap { (column, value, label) ->
            var original: String? = null
            val corrupt: suspend (Backend, Seeded) -> Unit = { b, s -> original = Rows.set(b, column, value, s.positions[1]) }
            val repair: suspend (Backend, Seeded) -> Unit = { b, s -> Rows.set(b, column, original, s.positions[1]) }
            listOf(
                BadInputCase("stored data", "$label: read the stream", Expect.StoredDataError, corrupt, repair) { b, s -> b.store.readStream(s.stream).toList() },
                BadInputCase("stored data", "$label: readAll", Expect.StoredDataError, corrupt, repair) { b, s -> (b.store as GlobalReader).readAll(s.positions[0] - 1).toList() },
            )
        }
    }

    fun all(): List<BadInputCase> = malformedIds() + typeNames() + metadataAndContentType() + versionsAndCounts() + configuration() + corrupted()

    /** The label with control and surrogate characters spelled as `\uXXXX`. */
    fun printable(text: String): String = buildString {
        for (c in text) if (c.code < 0x20 || c.isSurrogate()) append("\\u%04x".format(c.code)) else append(c)
    }
}
