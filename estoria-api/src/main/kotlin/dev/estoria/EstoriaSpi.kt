package dev.estoria

/**
 * Marks declarations meant for implementers of event stores, snapshot stores, caches and layers: the
 * backend kernel (`dev.estoria.eventstore.kernel`) and the members of the aggregate model that only a
 * store may call (marking an aggregate saved, applying stored events, restoring from a snapshot).
 * Application code should not call them; a backend opts in with `@OptIn(EstoriaSpi::class)` (or the
 * compiler flag `-opt-in=dev.estoria.EstoriaSpi`). Their shape may change between 0.x releases.
 */
@RequiresOptIn(
    level = RequiresOptIn.Level.WARNING,
    message = "For implementers of stores and layers; application code should not call it.",
)
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.CONSTRUCTOR,
    AnnotationTarget.TYPEALIAS,
)
@MustBeDocumented
public annotation class EstoriaSpi
