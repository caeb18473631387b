package dev.estoria.projection.memory

import dev.estoria.projection.DeadLetter
import dev.estoria.projection.DeadLetterSink
import java.util.concurrent.CopyOnWriteArrayList

/** Dead letters kept in memory, for tests and demos. */
public class InMemoryDeadLetters : DeadLetterSink {
    private val letters = CopyOnWriteArrayList<DeadLetter>()

    override suspend fun record(letter: DeadLetter) {
        letters += letter
    }

    /** The letters recorded so far, oldest first. */
    public fun all(): List<DeadLetter> = letters.toList()
}
