package dev.estoria.bench.scenario

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * Where the callers of a store run (the three columns): coroutines on `Dispatchers.Default` (a
 * server's handlers), on `Dispatchers.IO` (blocking-style handlers), or plain threads each running its
 * own event loop (Java callers). The baselines always run on plain threads.
 */
enum class Caller(val label: String) {
    DEFAULT("Default"),
    IO("IO"),
    THREADS("threads");

    /** Runs [body] for callers `0 until n` concurrently on this kind of caller and waits for all; rethrows the first failure. */
    fun run(n: Int, body: suspend (Int) -> Unit) {
        when (this) {
            DEFAULT -> runBlocking { List(n) { i -> launch(Dispatchers.Default) { body(i) } }.joinAll() }
            IO -> runBlocking { List(n) { i -> launch(Dispatchers.IO) { body(i) } }.joinAll() }
            THREADS -> {
                val failures = ConcurrentLinkedQueue<Throwable>()
                val threads = List(n) { i ->
                    Thread({
                        try {
                            runBlocking { body(i) }
                        } catch (e: Throwable) {
                            failures += e
                        }
                    }, "bench-caller-$i").also { it.start() }
                }
                threads.forEach { it.join() }
                failures.peek()?.let { throw it }
            }
        }
    }
}
