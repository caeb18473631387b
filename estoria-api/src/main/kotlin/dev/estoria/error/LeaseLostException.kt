package dev.estoria.error

/**
 * The instance no longer owns the lease of projection [name] at [epoch]: another instance acquired it
 * (bumping the epoch) or it expired on the lease store's clock. The fenced checkpoint write of a zombie
 * instance (one paused past its lease) fails with this and writes nothing; in same-transaction mode its
 * whole transaction, read model included, rolls back.
 *
 * TCK: `ProjectionSuite`, "an instance paused past its lease cannot commit, and its batch is applied by the new owner".
 *
 * @property name the lease (projection checkpoint) name.
 * @property epoch the epoch the instance held.
 */
public class LeaseLostException(
    public val name: String,
    public val epoch: Long,
    message: String,
    cause: Throwable? = null,
) : EstoriaException(message, cause)
