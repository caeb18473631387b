package dev.estoria.testkit.servers

/**
 * Reads `ESTORIA_REQUIRE` (comma-separated server names, e.g. `postgres,redis,mongo`): a server named
 * there must be available, and a suite that cannot get it fails instead of skipping.
 */
public object ServerRequirement {
    /** The environment variable naming the required servers. */
    public const val ENV: String = "ESTORIA_REQUIRE"

    /** Whether [server] (e.g. `postgres`) is required by the environment. */
    @JvmStatic
    public fun isRequired(server: String): Boolean =
        (System.getenv(ENV) ?: "").split(',').map { it.trim().lowercase() }.contains(server.lowercase())
}
