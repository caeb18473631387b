package dev.estoria.reliability

/** Edits rows behind a store's back (corruption cases). */
object Rows {
    /** The events table of [backend], qualified with its schema. */
    fun events(backend: Backend): String = backend.options.schema?.let { "$it.estoria_events" } ?: "estoria_events"

    /** Sets [column] of the event at [position] to [value] and returns the value it had. */
    fun set(backend: Backend, column: String, value: String?, position: Long): String? = backend.connection().use { c ->
        val table = events(backend)
        val original = c.prepareStatement("SELECT $column FROM $table WHERE global_position = ?").use { ps ->
            ps.setLong(1, position)
            ps.executeQuery().use { rs -> check(rs.next()) { "no event at $position" }; rs.getString(1) }
        }
        c.prepareStatement("UPDATE $table SET $column = ? WHERE global_position = ?").use { ps ->
            ps.setString(1, value)
            ps.setLong(2, position)
            check(ps.executeUpdate() == 1)
        }
        original
    }
}
