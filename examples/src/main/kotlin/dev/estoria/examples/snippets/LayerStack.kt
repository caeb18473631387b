// Shown in README.md and docs/aggregates-and-layers.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.aggregatestore.AggregateStore
import dev.estoria.aggregatestore.EventSourcedAggregateStore
import dev.estoria.aggregatestore.caching.CachingAggregateStore
import dev.estoria.aggregatestore.hooks.HookableAggregateStore
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy
import dev.estoria.aggregatestore.snapshotting.SnapshottingAggregateStore
import dev.estoria.cache.AggregateCache
import dev.estoria.eventstore.EventStore
import dev.estoria.examples.quickstart.Account
import dev.estoria.examples.quickstart.Accounts
import dev.estoria.snapshot.SnapshotStore

fun accountStore(
    events: EventStore,
    snapshotStore: SnapshotStore,
    cache: AggregateCache<Account>,
    currentRequestId: () -> String,
): AggregateStore<Account> =
    HookableAggregateStore(                                          // hooks: before/after load, hydrate, save
        CachingAggregateStore(                                       // cache: starts loads from cached state
            SnapshottingAggregateStore(                              // snapshots: replay only after the newest one
                EventSourcedAggregateStore(events, Accounts),
                snapshotStore, SnapshotPolicy.everyNEvents(50)),
            cache),
    ) { beforeSave { it.putMetadata("correlation_id", currentRequestId()) } }
