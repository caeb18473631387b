package dev.estoria.testkit.servers.redis

import dev.estoria.testkit.servers.ServerRequirement
import org.junit.jupiter.api.Assumptions
import redis.embedded.RedisShardedCluster
import java.net.ServerSocket
import java.time.Duration

/**
 * A real Redis Cluster of three embedded redis-server 6.2 masters (no replicas) on free local ports,
 * started once per JVM on first use and stopped by a shutdown hook. For cluster-safety tests (keys of
 * one aggregate in one slot, scripts on the right node).
 */
public object EmbeddedRedisCluster {
    private class Started(val seedUrl: String?, val problem: Throwable?)

    private val started: Started by lazy {
        try {
            val ports = List(3) { ServerSocket(0).use { it.localPort } }
            val cluster = RedisShardedCluster.newRedisCluster()
                .shard("a", 0).shard("b", 0).shard("c", 0)
                .serverPorts(ports)
                .initializationTimeout(Duration.ofSeconds(20))
                .build()
            cluster.start()
            Runtime.getRuntime().addShutdownHook(Thread({ cluster.stop() }, "estoria-redis-cluster-stop"))
            Started("redis://127.0.0.1:${cluster.serverPorts().first()}", null)
        } catch (e: Exception) {
            Started(null, e)
        }
    }

    /** A seed node URL of the cluster; fails (when `redis` is required) or skips when it cannot start. */
    @JvmStatic
    public fun seedUrl(): String {
        val s = started
        if (s.seedUrl != null) return s.seedUrl
        val message = "cannot start an embedded Redis Cluster: ${s.problem}"
        if (ServerRequirement.isRequired("redis")) throw AssertionError(message, s.problem)
        Assumptions.assumeTrue(false, message)
        throw IllegalStateException(message, s.problem)
    }
}
