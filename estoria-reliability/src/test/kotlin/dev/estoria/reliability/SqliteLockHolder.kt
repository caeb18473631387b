package dev.estoria.reliability

import java.sql.DriverManager

/**
 * Another process holding an SQLite file's write lock mid-transaction: `BEGIN IMMEDIATE`, a write to a
 * scratch table, then `locked` on stdout and a wait until it is killed. Started by [SqliteLockTest].
 */
object SqliteLockHolder {
    @JvmStatic
    fun main(args: Array<String>) {
        val connection = DriverManager.getConnection("jdbc:sqlite:${args[0]}")
        connection.createStatement().use { st ->
            st.execute("PRAGMA journal_mode=WAL")
            st.execute("CREATE TABLE IF NOT EXISTS holder_scratch (x INTEGER)")
            st.execute("BEGIN IMMEDIATE")
            st.execute("INSERT INTO holder_scratch VALUES (1)")
        }
        println("locked")
        System.out.flush()
        Thread.sleep(Long.MAX_VALUE)
    }
}
