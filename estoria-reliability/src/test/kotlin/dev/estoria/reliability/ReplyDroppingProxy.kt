package dev.estoria.reliability

import java.io.DataInputStream
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread

/**
 * A TCP proxy in front of PostgreSQL that loses the server's answer to one chosen statement: once a
 * client message containing the [arm]ed marker has gone to the server, the proxy reads the server's
 * messages up to `ReadyForQuery` (the statement ran and, auto-committed, committed), forwards none of
 * them, and closes the client's connection. The client sees a dropped connection after the commit.
 * Connect with `sslmode=disable&gssEncMode=disable` so that the server only speaks framed messages.
 */
class ReplyDroppingProxy(private val upstreamHost: String, private val upstreamPort: Int) : AutoCloseable {
    private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val marker = AtomicReference<ByteArray?>(null)

    /** The local port clients connect to. */
    val port: Int get() = server.localPort

    /** Answers dropped so far. */
    val dropped = AtomicInteger()

    init {
        thread(isDaemon = true, name = "reply-dropping-proxy") {
            while (!server.isClosed) {
                val client = try { server.accept() } catch (e: Exception) { break }
                val upstream = Socket(upstreamHost, upstreamPort)
                val swallow = java.util.concurrent.atomic.AtomicBoolean(false)
                thread(isDaemon = true) { clientToServer(client.getInputStream(), upstream.getOutputStream(), swallow, client, upstream) }
                thread(isDaemon = true) { serverToClient(DataInputStream(upstream.getInputStream()), client.getOutputStream(), swallow, client, upstream) }
            }
        }
    }

    /** Drops the answer to the next client message that contains [text]. */
    fun arm(text: String) {
        marker.set(text.toByteArray(Charsets.UTF_8))
    }

    private fun clientToServer(input: InputStream, output: OutputStream, swallow: java.util.concurrent.atomic.AtomicBoolean, a: Socket, b: Socket) {
        val buffer = ByteArray(64 * 1024)
        var tail = ByteArray(0)
        try {
            while (true) {
                val n = input.read(buffer)
                if (n < 0) break
                val wanted = marker.get()
                if (wanted != null) {
                    val window = tail + buffer.copyOf(n)
                    if (contains(window, wanted) && marker.compareAndSet(wanted, null)) swallow.set(true)
                    tail = window.copyOfRange(maxOf(0, window.size - wanted.size), window.size)
                }
                output.write(buffer, 0, n)
                output.flush()
            }
        } catch (ignored: Exception) {
            // a side closed
        } finally {
            closeBoth(a, b)
        }
    }

    private fun serverToClient(input: DataInputStream, output: OutputStream, swallow: java.util.concurrent.atomic.AtomicBoolean, a: Socket, b: Socket) {
        try {
            while (true) {
                val type = input.read()
                if (type < 0) break
                val length = input.readInt()
                val body = ByteArray(length - 4)
                input.readFully(body)
                if (swallow.get()) {
                    if (type == 'Z'.code) {
                        dropped.incrementAndGet()
                        break
                    }
                    continue
                }
                output.write(type)
                output.write(byteArrayOf((length ushr 24).toByte(), (length ushr 16).toByte(), (length ushr 8).toByte(), length.toByte()))
                output.write(body)
                output.flush()
            }
        } catch (ignored: Exception) {
            // a side closed
        } finally {
            closeBoth(a, b)
        }
    }

    private fun closeBoth(a: Socket, b: Socket) {
        runCatching { a.close() }
        runCatching { b.close() }
    }

    private fun contains(haystack: ByteArray, needle: ByteArray): Boolean {
        outer@ for (i in 0..haystack.size - needle.size) {
            for (j in needle.indices) if (haystack[i + j] != needle[j]) continue@outer
            return true
        }
        return false
    }

    override fun close() {
        server.close()
    }
}
