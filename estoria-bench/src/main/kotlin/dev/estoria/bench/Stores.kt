package dev.estoria.bench

import com.mongodb.kotlin.client.coroutine.MongoDatabase
import dev.estoria.eventstore.EventStore
import dev.estoria.eventstore.GlobalReader
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.jdbc.JdbcSnapshotStore
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.PostgresEventStore
import dev.estoria.jdbc.SqliteEventStore
import dev.estoria.mongo.MongoEventStore
import dev.estoria.mongo.MongoSnapshotStore
import dev.estoria.mongo.MongoStoreOptions
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import javax.sql.DataSource

/** An event store (also its global reader) and the snapshot store beside it, as one backend's scenarios use them. */
class BenchStores(val events: EventStore, val reader: GlobalReader, val snapshots: SnapshotStore)

/**
 * The one place each backend's stores are built, from a [Variant]: every scenario, section and the
 * latency probe of a backend get their stores here, so a new store option is compared by adding it to
 * [Variant] alone.
 */
object Stores {
    /** The JDBC options of [variant] (tables under [prefix], so sections do not share rows). */
    fun jdbcOptions(variant: Variant, prefix: String, schema: String? = null): JdbcStoreOptions =
        variant.applyTo(JdbcStoreOptions.builder().schema(schema).tablePrefix(prefix)).build()

    fun memory(variant: Variant): BenchStores {
        val store = InMemoryEventStore(pageSize = variant.memoryPageSize(256))
        return BenchStores(store, store, InMemorySnapshotStore())
    }

    fun sqlite(dataSource: DataSource, variant: Variant, prefix: String): BenchStores {
        val options = jdbcOptions(variant, prefix)
        val store = SqliteEventStore.create(dataSource, options)
        return BenchStores(store, store, JdbcSnapshotStore.sqlite(dataSource, options))
    }

    fun postgres(pool: DataSource, variant: Variant, prefix: String): BenchStores {
        val options = jdbcOptions(variant, prefix, schema = "estoria_bench")
        val store = PostgresEventStore.create(pool, options)
        return BenchStores(store, store, JdbcSnapshotStore.postgres(pool, options))
    }

    fun mongo(database: MongoDatabase, variant: Variant): BenchStores {
        val options = MongoStoreOptions.builder().also { b -> variant.settings["pageSize"]?.let { b.pageSize(it.toInt()) } }.build()
        val store = MongoEventStore(database, options)
        return BenchStores(store, store, MongoSnapshotStore(database, options))
    }
}
