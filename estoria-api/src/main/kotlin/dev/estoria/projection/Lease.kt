package dev.estoria.projection

import java.time.Instant

/**
 * Ownership of one projection (by checkpoint name) by one instance, until [expiresAt] on the lease
 * store's clock (the database's for JDBC). Every acquisition bumps [epoch]; the checkpoint write of the
 * owner is fenced by it, so an instance that lost its lease cannot commit.
 *
 * @property name the lease name (the projection's checkpoint name).
 * @property owner the instance that holds it.
 * @property epoch the acquisition counter, from 1.
 * @property expiresAt when the lease ends unless renewed, on the store's clock.
 * @property held whether it was unexpired on the store's clock when the store returned it: always true for
 *   a lease returned by an acquisition or a renewal; [LeaseStore.leases] also lists expired or released ones
 *   (`false`), so that a caller can see who is alive without comparing clocks.
 */
public class Lease @JvmOverloads constructor(
    public val name: String,
    public val owner: String,
    public val epoch: Long,
    public val expiresAt: Instant,
    public val held: Boolean = true,
) {
    override fun toString(): String = "Lease($name, owner=$owner, epoch=$epoch, expiresAt=$expiresAt${if (held) "" else ", ended"})"
}
