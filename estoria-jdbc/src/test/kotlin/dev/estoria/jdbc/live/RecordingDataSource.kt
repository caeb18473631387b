package dev.estoria.jdbc.live

import java.lang.reflect.InvocationHandler
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.sql.Connection
import java.sql.Statement
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import dev.estoria.jdbc.JdbcStoreOptions
import dev.estoria.jdbc.TestDatabases
import java.util.UUID
import javax.sql.DataSource
import kotlin.test.assertEquals

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

    /** Runs [call] and checks that it sent exactly one statement (SQLite's `PRAGMA`s aside) and committed nothing. */
    suspend fun <T> oneStatementNoCommit(store: Any, call: suspend () -> T): T {
        val before = statements.size
        val commitsBefore = commits.get()
        val result = call()
        val sql = statements.drop(before).filterNot { it.startsWith("PRAGMA") }
        assertEquals(1, sql.size, "$store: $sql")
        assertEquals(0, commits.get() - commitsBefore, "$store: a read commits nothing")
        return result
    }

    companion object {
        /**
         * A PostgreSQL store built by [postgres] and a SQLite store built by [sqlite], each on its own recording
         * data source over the test databases, both under one fresh table prefix starting with [prefix].
         */
        fun <S> onBothDialects(
            prefix: String,
            postgres: (DataSource, JdbcStoreOptions) -> S,
            sqlite: (DataSource, JdbcStoreOptions) -> S,
        ): List<Pair<RecordingDataSource, S>> {
            val options = JdbcStoreOptions.builder().tablePrefix("$prefix${UUID.randomUUID().toString().take(8)}_").build()
            val pg = RecordingDataSource(TestDatabases.postgres())
            val lite = RecordingDataSource(TestDatabases.sqlite())
            return listOf(pg to postgres(pg.dataSource, options), lite to sqlite(lite.dataSource, options))
        }
    }

    /** A proxy of [target] calling [spy] before each method; a non-null result wraps the method's result. */
    private fun <T> proxy(type: Class<T>, target: T, spy: (String, Array<out Any?>?) -> ((Any?) -> Any?)?): T {
        val handler = InvocationHandler { self, method, args ->
            // identity, not the target's: the stores key their Exposed database by data source
            if (method.name == "equals" && method.parameterCount == 1) return@InvocationHandler self === args?.get(0)
            if (method.name == "hashCode" && method.parameterCount == 0) return@InvocationHandler System.identityHashCode(self)
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
