package dev.estoria.mongo

import com.mongodb.kotlin.client.coroutine.MongoClient
import com.mongodb.kotlin.client.coroutine.MongoDatabase
import de.bwaldvogel.mongo.MongoServer
import de.bwaldvogel.mongo.backend.memory.MemoryBackend
import dev.estoria.testkit.servers.ServerRequirement
import org.junit.jupiter.api.Assumptions
import org.testcontainers.DockerClientFactory
import org.testcontainers.mongodb.MongoDBContainer
import java.util.concurrent.atomic.AtomicInteger

/**
 * The MongoDB server shared by this module's tests, resolved once, in this order:
 * 1. `ESTORIA_MONGO_URL` (e.g. `mongodb://localhost:27017`), used as is;
 * 2. a standalone `mongo:7` container through Testcontainers when a Docker engine answers;
 * 3. the in-process stand-in, mongo-java-server (memory backend) on a free port: a wire-protocol server
 *    with no sessions and no transactions, i.e. exactly what a standalone `mongod` guarantees and less.
 *
 * When none is available, [client] fails the test if `ESTORIA_REQUIRE` names `mongo`, and skips it
 * visibly otherwise. [source] says which server ran (printed once, for the test report).
 */
object MongoTestServer {
    const val ENV: String = "ESTORIA_MONGO_URL"
    const val IMAGE: String = "mongo:7.0"

    private class Resolved(val url: String?, val source: String, val problem: Throwable?)

    private val resolved: Resolved by lazy { resolve().also { println("[estoria-mongo tests] MongoDB server: ${it.source} ${it.url ?: it.problem}") } }
    private val client: MongoClient by lazy { MongoClient.create(url()) }
    private val databases = AtomicInteger()

    fun url(): String {
        val r = resolved
        if (r.url != null) return r.url
        val message = "no MongoDB server: set $ENV, start a Docker engine, or run where mongo-java-server starts (${r.problem})"
        if (ServerRequirement.isRequired("mongo")) throw AssertionError(message, r.problem)
        Assumptions.assumeTrue(false, message)
        throw IllegalStateException(message)
    }

    /** `env`, `testcontainers` or `mongo-java-server`. */
    fun source(): String = resolved.source

    /** A fresh database (unique name) on the shared server. */
    fun database(label: String): MongoDatabase {
        url()
        return client.getDatabase("estoria_${label}_${ProcessHandle.current().pid()}_${databases.incrementAndGet()}")
    }

    private fun resolve(): Resolved {
        System.getenv(ENV)?.takeIf { it.isNotBlank() }?.let { return Resolved(it.trim(), "env", null) }
        val dockerProblem = try {
            if (DockerClientFactory.instance().isDockerAvailable) {
                val container = MongoDBContainer(IMAGE)
                container.start()
                Runtime.getRuntime().addShutdownHook(Thread({ container.stop() }, "estoria-mongo-container-stop"))
                return Resolved(container.connectionString, "testcontainers ($IMAGE, standalone)", null)
            }
            null
        } catch (e: Exception) {
            e
        }
        return try {
            val server = MongoServer(MemoryBackend())
            val address = server.bind() // a free port on localhost
            Runtime.getRuntime().addShutdownHook(Thread({ server.shutdownNow() }, "estoria-mongo-stand-in-stop"))
            Resolved("mongodb://${address.hostString}:${address.port}", "mongo-java-server 1.47.0 (in-process stand-in)", null)
        } catch (e: Exception) {
            dockerProblem?.let { e.addSuppressed(it) }
            Resolved(null, "none", e)
        }
    }
}
