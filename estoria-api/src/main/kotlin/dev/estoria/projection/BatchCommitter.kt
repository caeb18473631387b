package dev.estoria.projection

import dev.estoria.error.CheckpointConflictException
import dev.estoria.error.LeaseLostException

/**
 * How a [ProjectionProcessor] applies one batch and records its checkpoint. The default (no committer
 * set) calls the handlers, then saves the checkpoint: through [LeaseStore.commitCheckpoint] when the
 * processor holds a lease, with [CheckpointStore.save] otherwise (at least once).
 *
 * A same-transaction committer (estoria-jdbc's `JdbcProjectionTransactions`) opens one database
 * transaction, runs [commit]'s `apply` in it so the handlers write the read model there, then writes the
 * fenced checkpoint on the same connection and commits: both or neither (effectively once).
 */
public interface BatchCommitter {
    /**
     * Runs [apply] (it calls the handlers and returns the position to record, `null` when no event was
     * applied), then records that position as checkpoint [name], moving it from [previous], fenced by
     * [lease] when not `null`. [apply] may be called again if the implementation retries a transaction.
     *
     * @throws LeaseLostException when [lease] is no longer held (nothing of the batch is committed by a transactional committer).
     * @throws CheckpointConflictException when the checkpoint is no longer at [previous].
     */
    public suspend fun commit(name: String, previous: Long?, lease: Lease?, apply: suspend () -> Long?)
}
