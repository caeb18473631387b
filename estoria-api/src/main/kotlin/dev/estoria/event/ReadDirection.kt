package dev.estoria.event

/** The order in which a stream is read. */
public enum class ReadDirection {
    /** Ascending versions. */
    FORWARD,

    /** Descending versions. */
    BACKWARD,
}
