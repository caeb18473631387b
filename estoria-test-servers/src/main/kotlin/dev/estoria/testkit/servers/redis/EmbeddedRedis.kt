package dev.estoria.testkit.servers.redis

import redis.embedded.RedisServer
import java.net.ServerSocket

/**
 * A dedicated embedded redis-server (a real redis-server 6.2 from `com.github.codemonstur:embedded-redis`)
 * on a free local port, without persistence. Unlike the shared server of [RedisTestServer], a test
 * may [stop] and [start] it again (on the same port) to simulate an outage; a restart starts empty.
 */
public class EmbeddedRedis private constructor(
    /** The TCP port on 127.0.0.1. */
    public val port: Int,
) : AutoCloseable {
    private val server: RedisServer = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build()

    /** The `redis://127.0.0.1:<port>` URL of this server. */
    public val url: String get() = "redis://127.0.0.1:$port"

    /** Whether the server process runs. */
    public val isRunning: Boolean get() = server.isActive

    /** Starts the server (again) on [port]; a no-op when it runs. */
    public fun start() {
        server.start()
    }

    /** Stops the server process; its data is lost. A no-op when stopped. */
    public fun stop() {
        server.stop()
    }

    /** Stops the server. */
    override fun close() {
        stop()
    }

    /** Factory. */
    public companion object {
        /** Starts a new embedded server on a free port. Throws when redis-server cannot run here. */
        @JvmStatic
        public fun start(): EmbeddedRedis {
            val port = ServerSocket(0).use { it.localPort }
            return EmbeddedRedis(port).also { it.start() }
        }
    }
}
