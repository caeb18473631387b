package dev.estoria.error

/**
 * A compare-and-set of checkpoint [name] found another position than [expected]: another instance
 * committed meanwhile. Nothing was written (in same-transaction mode the read model's writes roll back).
 *
 * TCK: `ProjectionSuite`, "an instance paused past its lease cannot commit, and its batch is applied by the new owner".
 *
 * @property name the checkpoint name.
 * @property expected the position the writer expected (`null`: no checkpoint yet).
 */
public class CheckpointConflictException(
    public val name: String,
    public val expected: Long?,
    cause: Throwable? = null,
) : EstoriaException("checkpoint '$name' is no longer at ${expected ?: "none"}: another instance committed", cause)
