package dev.estoria.java

import dev.estoria.projection.EventEnvelope

/**
 * A forwarder's handler for Java: delivers one event to an external system, blocking until it is
 * acknowledged (it runs on the forwarder's executor). Returning means delivered; throwing means not
 * delivered (retried, then the stream is halted). Used by `dev.estoria.async.AsyncForwarder`; TCK:
 * `ForwarderSuite` through the Kotlin forwarder underneath, tested from Java by `ForwardersFromJavaTest`.
 */
public fun interface JavaForwardHandler {
    /** Delivers [envelope]; throws when it was not delivered. */
    @Throws(Exception::class)
    public fun deliver(envelope: EventEnvelope)
}
