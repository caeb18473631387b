package dev.estoria.cache

/** A cached aggregate [state] at [version]. */
public class CachedState<S>(public val version: Long, public val state: S) {
    override fun toString(): String = "CachedState(version=$version, state=$state)"
}
