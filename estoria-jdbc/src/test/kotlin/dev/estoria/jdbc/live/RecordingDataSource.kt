package dev.estoria.jdbc.live

import java.lang.reflect.InvocationHandler
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.sql.Connection
import java.sql.Statement
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import javax.sql.DataSource

/** A [DataSource] wrapper recording every SQL text its connections prepare or execute, and counting their commits. */
class RecordingDataSource(private val inner: DataSource) {
    val statements = ConcurrentLinkedQueue<String>()

    /** `Connection.commit()` calls (a transaction's round trip that no statement text shows). */
    val commits = AtomicInteger()

    val dataSource: DataSource = proxy(DataSource::class.java, inner) { name, args ->
        if (name == "getConnection") wrapConnection else null
    }

    private val wrapConnection: (Any?) -> Any? = { result -> proxy(Connection::class.java, result as Connection, ::onConnection) }

    private fun onConnection(name: String, args: Array<out Any?>?): ((Any?) -> Any?)? {
        if (name == "commit") commits.incrementAndGet()
        if (name in setOf("prepareStatement", "prepareCall", "nativeSQL")) (args?.firstOrNull() as? String)?.let { statements += it }
        if (name == "createStatement") return { result -> proxy(Statement::class.java, result as Statement, ::onStatement) }
        return null
    }

    private fun onStatement(name: String, args: Array<out Any?>?): ((Any?) -> Any?)? {
        if (name.startsWith("execute") || name == "addBatch") (args?.firstOrNull() as? String)?.let { statements += it }
        return null
    }

    /** A proxy of [target] calling [spy] before each method; a non-null result wraps the method's result. */
    private fun <T> proxy(type: Class<T>, target: T, spy: (String, Array<out Any?>?) -> ((Any?) -> Any?)?): T {
        val handler = InvocationHandler { _, method, args ->
            val wrap = spy(method.name, args)
            val result = try {
                method.invoke(target, *(args ?: emptyArray()))
            } catch (e: InvocationTargetException) {
                throw e.targetException
            }
            if (wrap != null && result != null) wrap(result) else result
        }
        @Suppress("UNCHECKED_CAST")
        return Proxy.newProxyInstance(type.classLoader, arrayOf(type), handler) as T
    }
}
