package dev.estoria.snapshot.memory

import dev.estoria.error.InvalidInputException
import dev.estoria.id.TypeId
import dev.estoria.snapshot.Snapshot
import dev.estoria.snapshot.SnapshotStore
import java.util.TreeMap
import java.util.concurrent.ConcurrentHashMap

/**
 * Snapshots in memory, for tests and prototypes. Keeps the newest [keepLast] snapshots per aggregate
 * (default `null`: all).
 */
public class InMemorySnapshotStore @JvmOverloads constructor(private val keepLast: Int? = null) : SnapshotStore {
    init {
        if (keepLast != null && keepLast < 1) throw InvalidInputException("keepLast must be >= 1, was $keepLast")
    }

    private val snapshots = ConcurrentHashMap<TypeId, TreeMap<Long, Snapshot>>()

    override suspend fun read(aggregateId: TypeId, maxVersion: Long?): Snapshot? {
        val versions = snapshots[aggregateId] ?: return null
        synchronized(versions) {
            return if (maxVersion == null) versions.lastEntry()?.value else versions.floorEntry(maxVersion)?.value
        }
    }

    override suspend fun write(snapshot: Snapshot) {
        val versions = snapshots.computeIfAbsent(snapshot.aggregateId) { TreeMap() }
        synchronized(versions) {
            versions[snapshot.version] = snapshot
            val limit = keepLast ?: return
            while (versions.size > limit) versions.pollFirstEntry()
        }
    }

    override suspend fun delete(aggregateId: TypeId, toVersion: Long?) {
        val versions = snapshots[aggregateId] ?: return
        synchronized(versions) {
            if (toVersion == null) versions.clear() else versions.headMap(toVersion, true).clear()
        }
    }
}
