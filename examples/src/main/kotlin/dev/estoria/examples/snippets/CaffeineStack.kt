// Shown in docs/cache.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.aggregatestore.update
import dev.estoria.cache.caffeine.CaffeineAggregateCache
import dev.estoria.eventstore.memory.InMemoryEventStore
import dev.estoria.examples.quickstart.Account
import dev.estoria.examples.quickstart.Accounts
import dev.estoria.examples.quickstart.Deposited
import dev.estoria.id.TypeId
import dev.estoria.snapshot.memory.InMemorySnapshotStore
import java.time.Duration

suspend fun caffeineStack(id: TypeId) {
    val events = InMemoryEventStore()                            // or a JDBC / Mongo / Kurrent store
    val base = EventSourcedAggregateStore(events, Accounts)      // Accounts = aggregate<Account>("account") { … }
    val snapshotting = SnapshottingAggregateStore(base, InMemorySnapshotStore(keepLast = 2), SnapshotPolicy.everyNEvents(100))
    val cache = CaffeineAggregateCache.builder<Account>()
        .maximumSize(50_000)                                     // or .maximumWeight(64_000_000) { id, version, s -> weight(s) }
        .expireAfterWrite(Duration.ofMinutes(10))
        .build()
    val accounts: AggregateStore<Account> = CachingAggregateStore(snapshotting, cache)

    accounts.update(id) { state -> listOf(Deposited(10)) }      // load (cache hit) → decide → save (cache put)
    println(cache.stats().hitRate())
}
