package dev.estoria.aggregatestore

import dev.estoria.aggregate.Aggregate
import dev.estoria.error.StreamVersionConflictException
import dev.estoria.id.TypeId
import kotlinx.coroutines.delay

/**
 * The command-handler helper: loads aggregate [id], asks [decide] for the events that the current
 * state leads to, appends and saves them. On a [StreamVersionConflictException] it reloads and decides again,
 * with the back-off of [retry] (default [RetryPolicy.DEFAULT]). When the attempts run out it throws a
 * [StreamVersionConflictException] whose `attempts` says how many were made and whose cause is the last
 * attempt's conflict (with [RetryPolicy.NONE], the conflict itself). Exceptions thrown by [decide] (business rules) are never retried. An empty list from
 * [decide] saves nothing.
 *
 * Other failures are not retried: in particular [dev.estoria.error.EventsAppendedButSaveFailedException]
 * means the events are stored.
 *
 * @return the saved aggregate.
 */
public suspend fun <S> AggregateStore<S>.update(
    id: TypeId,
    retry: RetryPolicy = RetryPolicy.DEFAULT,
    decide: suspend (S) -> List<Any>,
): Aggregate<S> = retryOnConflict(retry) {
    val aggregate = load(id)
    val events = decide(aggregate.state)
    if (events.isNotEmpty()) {
        aggregate.append(*events.toTypedArray())
        save(aggregate)
    }
    aggregate
}

/**
 * Like [update] but creates the aggregate when it does not exist yet (its first save expects no
 * events, so two creators racing resolve as a conflict and the loser retries on the stored state).
 */
public suspend fun <S> AggregateStore<S>.upsert(
    id: TypeId,
    retry: RetryPolicy = RetryPolicy.DEFAULT,
    decide: suspend (S) -> List<Any>,
): Aggregate<S> = retryOnConflict(retry) {
    val aggregate = try {
        load(id)
    } catch (e: dev.estoria.error.AggregateNotFoundException) {
        new(id)
    }
    val events = decide(aggregate.state)
    if (events.isNotEmpty()) {
        aggregate.append(*events.toTypedArray())
        save(aggregate)
    }
    aggregate
}

private suspend fun <T> retryOnConflict(retry: RetryPolicy, attempt: suspend () -> T): T {
    var attemptNumber = 1
    while (true) {
        try {
            return attempt()
        } catch (e: StreamVersionConflictException) {
            if (attemptNumber >= retry.maxAttempts) {
                throw if (attemptNumber == 1) e else StreamVersionConflictException(e.streamId, e.expected, e.actual, e, attemptNumber)
            }
            attemptNumber++
            delay(retry.delayMillisBefore(attemptNumber))
        }
    }
}
