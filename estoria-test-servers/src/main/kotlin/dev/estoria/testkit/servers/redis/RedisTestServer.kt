package dev.estoria.testkit.servers.redis

import dev.estoria.testkit.servers.ServerRequirement
import org.junit.jupiter.api.Assumptions
import org.testcontainers.DockerClientFactory
import org.testcontainers.containers.GenericContainer
import org.testcontainers.utility.DockerImageName

/**
 * The Redis server shared by the tests of one JVM, resolved once, in this order:
 * 1. `ESTORIA_REDIS_URL` (e.g. `redis://localhost:6379`), used as is;
 * 2. a `redis:7` container through Testcontainers when a Docker engine answers;
 * 3. an [EmbeddedRedis] (a real redis-server 6.2).
 *
 * When none is available, [url] fails the test if `ESTORIA_REQUIRE` names `redis`
 * ([ServerRequirement]), and otherwise skips it visibly (a JUnit assumption with the reason).
 * Started servers are stopped by a shutdown hook.
 */
public object RedisTestServer {
    /** The environment variable naming an external server. */
    public const val ENV: String = "ESTORIA_REDIS_URL"

    /** The Docker image used when Testcontainers is available. */
    public const val IMAGE: String = "redis:7.4-alpine"

    private class Resolved(val url: String?, val source: String, val problem: Throwable?)

    private val resolved: Resolved by lazy { resolve() }

    /**
     * The URL of the shared server. Fails the calling test when `redis` is required and unavailable;
     * skips it otherwise.
     */
    @JvmStatic
    public fun url(): String {
        val r = resolved
        if (r.url != null) return r.url
        val message = "no Redis server: set $ENV, start a Docker engine, or run where embedded redis-server works " +
            "(${r.problem ?: "unknown reason"})"
        if (ServerRequirement.isRequired("redis")) throw AssertionError(message, r.problem)
        Assumptions.assumeTrue(false, message)
        throw IllegalStateException(message)
    }

    /** Where the shared server comes from: `env`, `testcontainers` or `embedded` (resolves it). */
    @JvmStatic
    public fun source(): String = resolved.source

    /**
     * Starts a dedicated [EmbeddedRedis] that the caller may stop and restart (outage tests), or fails
     * / skips as [url] does when redis-server cannot run here.
     */
    @JvmStatic
    public fun dedicatedEmbedded(): EmbeddedRedis =
        try {
            EmbeddedRedis.start()
        } catch (e: Exception) {
            val message = "cannot start an embedded redis-server: $e"
            if (ServerRequirement.isRequired("redis")) throw AssertionError(message, e)
            Assumptions.assumeTrue(false, message)
            throw IllegalStateException(message, e)
        }

    private fun resolve(): Resolved {
        System.getenv(ENV)?.takeIf { it.isNotBlank() }?.let { return Resolved(it.trim(), "env", null) }
        val dockerProblem = try {
            if (DockerClientFactory.instance().isDockerAvailable) {
                val container = GenericContainer(DockerImageName.parse(IMAGE)).withExposedPorts(6379)
                container.start()
                Runtime.getRuntime().addShutdownHook(Thread({ container.stop() }, "estoria-redis-container-stop"))
                return Resolved("redis://${container.host}:${container.getMappedPort(6379)}", "testcontainers", null)
            }
            null
        } catch (e: Exception) {
            e
        }
        return try {
            val server = EmbeddedRedis.start()
            Runtime.getRuntime().addShutdownHook(Thread({ server.stop() }, "estoria-redis-embedded-stop"))
            Resolved(server.url, "embedded", null)
        } catch (e: Exception) {
            dockerProblem?.let { e.addSuppressed(it) }
            Resolved(null, "none", e)
        }
    }
}
