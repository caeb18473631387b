package dev.estoria.kurrent

import dev.estoria.testkit.servers.ServerRequirement
import org.junit.jupiter.api.extension.ConditionEvaluationResult
import org.junit.jupiter.api.extension.ExecutionCondition
import org.junit.jupiter.api.extension.ExtensionContext
import org.testcontainers.DockerClientFactory
import org.testcontainers.containers.GenericContainer
import org.testcontainers.containers.wait.strategy.Wait
import org.testcontainers.utility.DockerImageName
import java.time.Duration

/**
 * The KurrentDB server of the Kurrent suites: `ESTORIA_KURRENT_URL` (a connection string, e.g.
 * `kurrentdb://localhost:2113?tls=false`) when set, else a Testcontainers `GenericContainer` of
 * `kurrentplatform/kurrentdb` (insecure, port 2113, ready when `GET /health/live` answers) when a Docker
 * engine answers, else none: the suites are then disabled with the reason, unless `ESTORIA_REQUIRE`
 * names `kurrent`, in which case they run and fail.
 */
object KurrentServer {
    /** The environment variable with a server's connection string. */
    const val ENV = "ESTORIA_KURRENT_URL"

    /** The image tried when Docker is available (override with `ESTORIA_KURRENT_IMAGE`). */
    val image: String = System.getenv("ESTORIA_KURRENT_IMAGE") ?: "kurrentplatform/kurrentdb:latest"

    /** Why there is no server, or `null` when there is one to try. */
    val unavailable: String? by lazy {
        when {
            !System.getenv(ENV).isNullOrBlank() -> null
            dockerAnswers() -> null
            else -> "no KurrentDB: set $ENV or run a Docker engine"
        }
    }

    /** The connection string of the server, starting the container on first use. */
    val connectionString: String by lazy {
        System.getenv(ENV)?.takeIf { it.isNotBlank() } ?: startContainer()
    }

    private fun dockerAnswers(): Boolean = try {
        DockerClientFactory.instance().isDockerAvailable
    } catch (e: Exception) {
        false
    }

    private fun startContainer(): String {
        val container = GenericContainer(DockerImageName.parse(image))
            .withEnv("KURRENTDB__INSECURE", "true")
            .withEnv("KURRENTDB__RUN_PROJECTIONS", "None")
            .withExposedPorts(PORT)
            .waitingFor(Wait.forHttp("/health/live").forPort(PORT).withStartupTimeout(Duration.ofMinutes(2)))
        container.start()
        Runtime.getRuntime().addShutdownHook(Thread({ container.stop() }, "estoria-kurrent-stop"))
        return "kurrentdb://${container.host}:${container.getMappedPort(PORT)}?tls=false"
    }

    private const val PORT = 2113
}

/** Enables a test class only when a KurrentDB server can be had (or is required), with the reason otherwise. */
class KurrentAvailable : ExecutionCondition {
    override fun evaluateExecutionCondition(context: ExtensionContext): ConditionEvaluationResult {
        val reason = KurrentServer.unavailable
        return when {
            reason == null -> ConditionEvaluationResult.enabled("KurrentDB at ${System.getenv(KurrentServer.ENV) ?: KurrentServer.image}")
            ServerRequirement.isRequired("kurrent") -> ConditionEvaluationResult.enabled("ESTORIA_REQUIRE names kurrent: running to fail ($reason)")
            else -> ConditionEvaluationResult.disabled(reason)
        }
    }
}
