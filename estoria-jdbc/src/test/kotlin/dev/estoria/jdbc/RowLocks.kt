package dev.estoria.jdbc

import dev.estoria.id.TypeId
import kotlinx.coroutines.delay
import java.sql.Connection

/** Holding a stream's row lock from a test's own connection, so that a statement of the store waits on it. */
object RowLocks {
    /** Holds the row lock of [id] in [streams] on [locker] (a transaction the test ends); returns the locker's pid. */
    fun lock(locker: Connection, id: TypeId, streams: String = "estoria_streams"): Int {
        locker.autoCommit = false
        locker.prepareStatement("SELECT stream_version FROM $streams WHERE stream_id = ? FOR UPDATE").use {
            it.setString(1, id.toString())
            it.executeQuery().close()
        }
        return locker.createStatement().use { st -> st.executeQuery("SELECT pg_backend_pid()").use { it.next(); it.getInt(1) } }
    }

    /** The pid of the session waiting on [lockerPid]'s lock, once it waits. */
    suspend fun blockedBy(admin: Connection, lockerPid: Int): Int {
        repeat(400) {
            admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))").use { ps ->
                ps.setInt(1, lockerPid)
                ps.executeQuery().use { rs -> if (rs.next()) return rs.getInt(1) }
            }
            delay(25)
        }
        error("no statement blocked behind pid $lockerPid")
    }
}
