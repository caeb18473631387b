package dev.estoria.testkit.servers.redis

import dev.estoria.testkit.servers.ServerRequirement
import org.junit.jupiter.api.Assumptions
import redis.embedded.RedisShardedCluster
import java.io.IOException
import java.net.ServerSocket
import java.net.Socket
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
            awaitClusterOk(cluster.serverPorts(), Duration.ofSeconds(20))
            Started("redis://127.0.0.1:${cluster.serverPorts().first()}", null)
        } catch (e: Exception) {
            Started(null, e)
        }
    }

    /**
     * Waits until every node reports `cluster_state:ok` with all 16384 slots assigned: the slots are
     * assigned at start, but the nodes agree on the cluster state a moment later (until then commands
     * fail with CLUSTERDOWN).
     */
    private fun awaitClusterOk(ports: Collection<Int>, timeout: Duration) {
        val deadline = System.nanoTime() + timeout.toNanos()
        while (true) {
            val infos = ports.map { clusterInfo(it) }
            if (infos.all { "cluster_state:ok" in it && "cluster_slots_ok:16384" in it }) return
            if (System.nanoTime() > deadline) throw IllegalStateException("the embedded Redis Cluster did not become ready: $infos")
            Thread.sleep(50)
        }
    }

    /** `CLUSTER INFO` of the node on [port], over a plain RESP socket ("" when it does not answer). */
    private fun clusterInfo(port: Int): String =
        try {
            Socket("127.0.0.1", port).use { socket ->
                socket.soTimeout = 2_000
                socket.getOutputStream().apply {
                    write("*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n".toByteArray(Charsets.US_ASCII))
                    flush()
                }
                val input = socket.getInputStream().bufferedReader(Charsets.US_ASCII)
                val header = input.readLine() ?: return ""
                if (!header.startsWith("$")) return header
                val length = header.substring(1).toInt()
                val body = CharArray(length)
                var read = 0
                while (read < length) {
                    val n = input.read(body, read, length - read)
                    if (n < 0) break
                    read += n
                }
                String(body, 0, read)
            }
        } catch (e: IOException) {
            ""
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
