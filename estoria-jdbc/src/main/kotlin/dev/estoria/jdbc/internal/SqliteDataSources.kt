package dev.estoria.jdbc.internal

import dev.estoria.error.StoreException
import org.sqlite.SQLiteConfig
import org.sqlite.SQLiteDataSource
import java.io.IOException
import java.io.PrintWriter
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.sql.SQLException
import java.sql.SQLFeatureNotSupportedException
import java.util.concurrent.ConcurrentLinkedDeque
import java.util.concurrent.atomic.AtomicInteger
import java.util.logging.Logger
import javax.sql.DataSource

/** SQLite data sources for the file factories. */
internal object SqliteDataSources {
    private const val BUSY_TIMEOUT_MS = 10_000
    private const val MAX_IDLE = 8

    /**
     * A data source on [path], creating its missing parent directories.
     *
     * @throws StoreException when a directory cannot be created (a path component is a file, no
     *   permission, …); the `IOException` is the cause.
     */
    fun file(path: Path): ReusingDataSource {
        val absolute = path.toAbsolutePath()
        absolute.parent?.let { directory ->
            try {
                Files.createDirectories(directory)
            } catch (e: IOException) {
                throw StoreException("open sqlite file", null, "cannot create the directory $directory for the SQLite file $absolute: $e", e)
            }
        }
        val config = SQLiteConfig().apply {
            setJournalMode(SQLiteConfig.JournalMode.WAL)
            setSynchronous(SQLiteConfig.SynchronousMode.NORMAL)
            setBusyTimeout(BUSY_TIMEOUT_MS)
        }
        val source = SQLiteDataSource(config)
        source.url = "jdbc:sqlite:$absolute"
        return ReusingDataSource(source, MAX_IDLE)
    }
}

/**
 * Keeps up to [maxIdle] closed connections of [target] open for reuse (SQLite connections are cheap
 * but not free to open). Not a general pool: no limit on open connections, no validation.
 */
internal class ReusingDataSource(private val target: DataSource, private val maxIdle: Int) : DataSource, AutoCloseable {
    private val idle = ConcurrentLinkedDeque<Connection>()
    private val idleCount = AtomicInteger()

    @Volatile
    private var closed = false

    override fun getConnection(): Connection {
        if (closed) throw SQLException("the SQLite data source is closed")
        val real = idle.pollFirst()?.also { idleCount.decrementAndGet() } ?: target.connection
        return wrap(real)
    }

    /**
     * Closes the idle connections and every borrowed one when it is given back, and refuses new ones
     * (SQLite folds the WAL into the database file when its last connection closes).
     */
    override fun close() {
        closed = true
        while (true) {
            val real = idle.pollFirst() ?: break
            idleCount.decrementAndGet()
            closeQuietly(real)
        }
    }

    private fun closeQuietly(real: Connection) {
        try {
            real.close()
        } catch (ignored: SQLException) {
            // already broken
        }
    }

    override fun getConnection(username: String?, password: String?): Connection = connection

    private fun wrap(real: Connection): Connection {
        var closed = false
        return Proxy.newProxyInstance(javaClass.classLoader, arrayOf(Connection::class.java)) { _, method, args ->
            when (method.name) {
                "close" -> {
                    if (!closed) {
                        closed = true
                        release(real)
                    }
                    null
                }
                "isClosed" -> closed || real.isClosed
                else -> {
                    if (closed) throw SQLException("connection is closed")
                    try {
                        method.invoke(real, *(args ?: emptyArray()))
                    } catch (e: InvocationTargetException) {
                        throw e.targetException
                    }
                }
            }
        } as Connection
    }

    private fun release(real: Connection) {
        try {
            if (real.isClosed) return
            if (!real.autoCommit) {
                real.rollback()
                real.autoCommit = true
            }
            if (!closed) {
                if (idleCount.incrementAndGet() <= maxIdle) {
                    idle.addFirst(real)
                    if (closed) close() // closed meanwhile: do not keep it
                    return
                }
                idleCount.decrementAndGet()
            }
            real.close()
        } catch (e: SQLException) {
            closeQuietly(real)
        }
    }

    override fun getLogWriter(): PrintWriter? = target.logWriter

    override fun setLogWriter(out: PrintWriter?) {
        target.logWriter = out
    }

    override fun setLoginTimeout(seconds: Int) {
        target.loginTimeout = seconds
    }

    override fun getLoginTimeout(): Int = target.loginTimeout

    override fun getParentLogger(): Logger = throw SQLFeatureNotSupportedException()

    override fun <T : Any?> unwrap(iface: Class<T>): T = target.unwrap(iface)

    override fun isWrapperFor(iface: Class<*>): Boolean = target.isWrapperFor(iface)
}
