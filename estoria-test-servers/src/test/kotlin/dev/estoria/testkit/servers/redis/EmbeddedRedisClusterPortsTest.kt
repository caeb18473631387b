package dev.estoria.testkit.servers.redis

import org.junit.jupiter.api.Test
import java.io.IOException
import java.net.ServerSocket
import java.net.Socket
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The cluster fixture binds free ports: a Redis already running on the default ports (6379–6381,
 * held here by plain sockets when free) must not make the 14 cluster tests skip or fail.
 */
class EmbeddedRedisClusterPortsTest {
    private val defaultPorts = 6379..6381

    @Test
    fun `the embedded cluster starts on free ports while the default Redis ports are taken`() {
        val held = defaultPorts.mapNotNull { port ->
            try {
                ServerSocket(port)
            } catch (e: IOException) {
                null // taken already: by a local Redis, which is the case this test is about
            }
        }
        try {
            val ports = EmbeddedRedisCluster.nodePorts()
            assertEquals(3, ports.toSet().size, "three distinct node ports: $ports")
            assertTrue(ports.none { it in defaultPorts }, "no node on a default Redis port: $ports")
            ports.forEach { assertEquals("+PONG", ping(it), "node on port $it") }
        } finally {
            held.forEach { it.close() }
        }
    }

    private fun ping(port: Int): String =
        Socket("127.0.0.1", port).use { socket ->
            socket.soTimeout = 5_000
            socket.getOutputStream().apply {
                write("*1\r\n\$4\r\nPING\r\n".toByteArray(Charsets.US_ASCII))
                flush()
            }
            socket.getInputStream().bufferedReader(Charsets.US_ASCII).readLine() ?: ""
        }
}
