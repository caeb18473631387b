package dev.estoria.projection

import dev.estoria.error.EstoriaException
import dev.estoria.error.StoreException
import dev.estoria.event.Event
import dev.estoria.eventstore.FrontierStatus

/**
 * What a [ProjectionProcessor] reports, for metrics and logs. Every method has an empty default; they are
 * called on the processor's coroutine and must not block for long or throw (a throwing listener fails the
 * processor). [projection] is always the checkpoint name (`name.vN`).
 */
public interface ProjectionListener {
    /** A batch's checkpoint was committed; [events] are its applied (or dead-lettered) events, [position] the new checkpoint. */
    public fun batchCommitted(projection: String, events: List<Event>, position: Long) {}

    /** A handler threw for [event] at its [attempt]-th call. */
    public fun handlerFailed(projection: String, event: Event, attempt: Int, cause: Throwable) {}

    /** The fenced commit of a batch was refused (lease lost or checkpoint moved); the batch will be redelivered. */
    public fun commitRejected(projection: String, cause: EstoriaException) {}

    /** The lag after a batch, or when idle. */
    public fun lag(projection: String, lag: ProjectionLag) {}

    /** The stable frontier lags behind stored events (a transaction held open on PostgreSQL), seen while idle. */
    public fun frontierHeld(projection: String, status: FrontierStatus) {}

    /** This instance acquired [lease]. */
    public fun leaseAcquired(lease: Lease) {}

    /** Acquiring the lease failed with a store error; the instance tries again after its acquire interval. */
    public fun acquireFailed(projection: String, cause: StoreException) {}

    /** This instance lost [lease] (expired or taken over); it stops applying and tries to acquire again. */
    public fun leaseLost(lease: Lease, cause: EstoriaException) {}

    /** This instance released [lease] on a graceful stop. */
    public fun leaseReleased(lease: Lease) {}

    /**
     * A processor of a partitioned projection ([Projection.partitions] > 1) claimed [partition] with [lease]
     * (its fair share grew, or the partition was free). Partitioned processors report partition events instead
     * of [leaseAcquired], [leaseLost] and [leaseReleased].
     */
    public fun partitionClaimed(projection: String, partition: Int, lease: Lease) {}

    /** This instance released [partition]: above its fair share after an instance joined, or on a graceful stop. */
    public fun partitionReleased(projection: String, partition: Int, lease: Lease) {}

    /**
     * This instance lost [partition]: a renewal failed (expired, taken over or deleted) or its fenced commit was
     * refused; nothing of the refused batch was committed for that partition, and its new owner applies it.
     */
    public fun partitionLost(projection: String, partition: Int, lease: Lease, cause: EstoriaException) {}

    /** The processor read everything up to the frontier and is now idle at [position]. */
    public fun caughtUp(projection: String, position: Long) {}

    /** The listener that reports nothing. */
    public companion object {
        /** Reports nothing. */
        @JvmField
        public val NONE: ProjectionListener = object : ProjectionListener {}
    }
}
