package dev.estoria.java

import dev.estoria.aggregate.Aggregate
import dev.estoria.error.InvalidInputException
import dev.estoria.event.Metadata
import kotlinx.coroutines.ThreadContextElement
import kotlin.coroutines.CoroutineContext

/**
 * What one Java call carries to the hooks it runs: metadata entries (a correlation id, the user) added
 * to every event the call saves, and attachments (any object, looked up by class) that hooks read with
 * [current]. Pass one to `AsyncAggregateStore.update(id, context, decide)`, `upsert(…)` or
 * `save(aggregate, context)`:
 * ```java
 * CallContext call = CallContext.of("correlation_id", requestId).attach(User.class, user);
 * accounts.update(id, call, account -> List.of(new Deposited(10))).join();
 * // in a hook, on whichever thread of the facade's executor it runs:
 * JavaHooks.<Account>builder().beforeSave(a -> audit(CallContext.current().attachment(User.class))).build();
 * ```
 * Why: facade hooks run on the facade's executor, so a `ThreadLocal` (MDC) set by the request thread is
 * missing there, or another request's. The facade runs the call with a coroutine-context element that
 * installs the call's context as the thread's current one whenever the call runs on a thread and removes
 * it when it leaves (facade test: `CallContextTest`). Outside a call, [current] is [EMPTY].
 *
 * Kotlin callers need no facade: put any coroutine-context element around the call
 * (`withContext(MyRequest(id)) { store.update(…) }`) and read it in a hook with
 * `currentCoroutineContext()[MyRequest]`, then `aggregate.putMetadata(…)` in a before-save hook.
 * [asContextElement] lets Kotlin code and Java hooks share one `CallContext`.
 *
 * @property metadata entries added to every event of each save of the call (per-event metadata wins).
 */
public class CallContext private constructor(
    public val metadata: Map<String, String>,
    private val attachments: Map<Class<*>, Any>,
) {

    /**
     * A copy with metadata entry [name] = [value].
     *
     * @throws InvalidInputException when the key is blank, reserved (`estoria.`) or not storable.
     */
    public fun withMetadata(name: String, value: String): CallContext =
        CallContext(Metadata.validate(metadata + (name to value)), attachments)

    /** A copy carrying [value] as the attachment of [type] (replacing an earlier one of that type). */
    public fun <T : Any> attach(type: Class<T>, value: T): CallContext {
        if (!type.isInstance(value)) throw InvalidInputException("the attachment is a ${value.javaClass.name}, not a ${type.name}")
        return CallContext(metadata, attachments + (type to value))
    }

    /** The attachment of [type], or `null` when the call carries none. */
    public fun <T : Any> attachment(type: Class<T>): T? = attachments[type]?.let { type.cast(it) }

    /** Adds [metadata] to [aggregate]'s next save (`putMetadata`). */
    internal fun applyTo(aggregate: Aggregate<*>) {
        for ((key, value) in metadata) aggregate.putMetadata(key, value)
    }

    /**
     * This context as a coroutine-context element (Kotlin only): while a coroutine carrying it runs on a
     * thread, [current] answers this context there (`withContext(call.asContextElement()) { … }`).
     */
    @JvmSynthetic
    public fun asContextElement(): CoroutineContext.Element = Element(this)

    override fun toString(): String = "CallContext(metadata=$metadata, attachments=${attachments.keys.map { it.simpleName }})"

    /** Installs [context] as the thread's current one while the coroutine runs on it, and puts back what was there. */
    private class Element(private val context: CallContext) : ThreadContextElement<CallContext?> {
        override val key: CoroutineContext.Key<*> get() = Key

        override fun updateThreadContext(context: CoroutineContext): CallContext? {
            val previous = CURRENT.get()
            CURRENT.set(this.context)
            return previous
        }

        override fun restoreThreadContext(context: CoroutineContext, oldState: CallContext?) {
            if (oldState == null) CURRENT.remove() else CURRENT.set(oldState)
        }

        companion object Key : CoroutineContext.Key<Element>
    }

    /** Factories. */
    public companion object {
        private val CURRENT = ThreadLocal<CallContext?>()

        /** No metadata, no attachment. */
        @JvmField
        public val EMPTY: CallContext = CallContext(emptyMap(), emptyMap())

        /** The context of the call running on this thread (in a hook), or [EMPTY] outside a call. */
        @JvmStatic
        public fun current(): CallContext = CURRENT.get() ?: EMPTY

        /** A context with the metadata entry [name] = [value]; see [CallContext.withMetadata]. */
        @JvmStatic
        public fun of(name: String, value: String): CallContext = EMPTY.withMetadata(name, value)

        /** A context with one attachment; see [CallContext.attach]. */
        @JvmStatic
        public fun <T : Any> attaching(type: Class<T>, value: T): CallContext = EMPTY.attach(type, value)
    }
}
