package dev.estoria.projection.memory

import dev.estoria.projection.CheckpointNames
import dev.estoria.projection.CheckpointStore
import java.util.concurrent.ConcurrentHashMap

/** Checkpoints in memory, for tests. */
public class InMemoryCheckpointStore : CheckpointStore {
    private val positions = ConcurrentHashMap<String, Long>()

    override suspend fun load(name: String): Long? {
        CheckpointNames.validate(name)
        return positions[name]
    }

    override suspend fun save(name: String, position: Long) {
        CheckpointNames.validate(name, position)
        positions[name] = position
    }

    override suspend fun delete(name: String) {
        CheckpointNames.validate(name)
        positions.remove(name)
    }

    /** Sets [name] to [position] if it is at [previous] (`null`: unset); returns whether it did. */
    internal fun compareAndSet(name: String, previous: Long?, position: Long): Boolean =
        if (previous == null) positions.putIfAbsent(name, position) == null else positions.replace(name, previous, position)
}
