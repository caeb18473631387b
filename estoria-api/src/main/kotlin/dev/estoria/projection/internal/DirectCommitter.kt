package dev.estoria.projection.internal

import dev.estoria.projection.BatchCommitter
import dev.estoria.projection.CheckpointStore
import dev.estoria.projection.Lease
import dev.estoria.projection.LeaseStore

/** The default committer: handlers first, then the checkpoint (fenced through [leases] when leased): at least once. */
internal class DirectCommitter(private val checkpoints: CheckpointStore, private val leases: LeaseStore?) : BatchCommitter {
    override suspend fun commit(name: String, previous: Long?, lease: Lease?, apply: suspend () -> Long?) {
        val position = apply() ?: return
        if (lease != null && leases != null) leases.commitCheckpoint(lease, previous, position) else checkpoints.save(name, position)
    }
}
