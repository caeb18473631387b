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
 *
 * The ports are free ones, never Redis' defaults: a Redis already running on 6379 does not stop the
 * cluster from starting (EmbeddedRedisClusterPortsTest).
 */
public object EmbeddedRedisCluster {
    private const val NODES = 3

    /** Redis Cluster nodes also listen on their port + 10000 (the cluster bus). */
    private const val BUS_PORT_OFFSET = 10_000

    private class Started(val ports: List<Int>, val problem: Throwable?)

    private val started: Started by lazy {
        try {
            // serverPorts must come before shard(): each shard() takes its port from the provider set then.
            val cluster = RedisShardedCluster.newRedisCluster()
                .serverPorts(freeClusterPorts(NODES))
                .shard("a", 0).shard("b", 0).shard("c", 0)
                .initializationTimeout(Duration.ofSeconds(20))
                .build()
            cluster.start()
            Runtime.getRuntime().addShutdownHook(Thread({ cluster.stop() }, "estoria-redis-cluster-stop"))
            awaitClusterOk(cluster.serverPorts(), Duration.ofSeconds(20))
            Started(cluster.serverPorts(), null)
        } catch (e: Exception) {
            Started(emptyList(), e)
        }
    }

    /**
     * [count] distinct free ports whose cluster-bus port (+10000) is free and valid too. The sockets are
     * held until all are chosen, so no port is picked twice; bounded attempts.
     */
    private fun freeClusterPorts(count: Int): List<Int> {
        val held = mutableListOf<ServerSocket>()
        try {
            val ports = mutableListOf<Int>()
            var attempts = 0
            while (ports.size < count && attempts < 200) {
                attempts++
                val socket = ServerSocket(0).also { held += it }
                val bus = socket.localPort + BUS_PORT_OFFSET
                if (bus <= 65_535 && isFree(bus)) ports += socket.localPort
            }
            check(ports.size == count) { "found only ${ports.size} of $count free port pairs (port, port + $BUS_PORT_OFFSET)" }
            return ports
        } finally {
            held.forEach { it.close() }
        }
    }

    private fun isFree(port: Int): Boolean =
        try {
            ServerSocket(port).close()
            true
        } catch (e: IOException) {
            false
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
    public fun seedUrl(): String = "redis://127.0.0.1:${nodePorts().first()}"

    /** The ports of the cluster's nodes; fails (when `redis` is required) or skips when it cannot start. */
    @JvmStatic
    public fun nodePorts(): List<Int> {
        val s = started
        if (s.problem == null) return s.ports
        val message = "cannot start an embedded Redis Cluster: ${s.problem}"
        if (ServerRequirement.isRequired("redis")) throw AssertionError(message, s.problem)
        Assumptions.assumeTrue(false, message)
        throw IllegalStateException(message, s.problem)
    }
}
