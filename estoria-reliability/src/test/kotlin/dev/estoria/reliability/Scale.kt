package dev.estoria.reliability

/**
 * The two sizes of the suites: CI mode (the default, bounded so the whole module runs in about three
 * minutes on two cores) and soak mode (`-Psoak` or `-Destoria.soak=true`: the same tests, larger counts).
 */
object Scale {
    /** Whether the soak counts apply. */
    val soak: Boolean = System.getProperty("estoria.soak")?.toBoolean() ?: false

    /** The name of the mode, recorded with every figure. */
    val mode: String get() = if (soak) "soak" else "ci"

    /** [ci] in CI mode, [soak] in soak mode. */
    fun of(ci: Int, soak: Int): Int = if (this.soak) soak else ci
}
