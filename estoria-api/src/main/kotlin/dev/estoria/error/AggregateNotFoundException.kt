package dev.estoria.error

import dev.estoria.id.TypeId

/** No events exist for the aggregate [aggregateId]. */
public class AggregateNotFoundException(public val aggregateId: TypeId, cause: Throwable? = null) :
    EstoriaException("aggregate $aggregateId not found", cause)
