package dev.estoria.eventstore

/**
 * Optional capability of a [GlobalReader]: how far the stable frontier (what `readAll` and
 * `headPosition` can return) is behind the newest stored event, and what holds it there.
 *
 * On PostgreSQL a writing transaction left open anywhere on the server, in any database, holds the
 * frontier back without bound while `headPosition` looks healthy; a projection processor or an
 * operator alarms on [FrontierStatus.heldBackEvents] or [FrontierStatus.holders] instead. Stores that
 * order writes themselves (in memory, SQLite) never lag: their status has no holders.
 *
 * Tested by `PostgresFrontierStatusTest` (estoria-jdbc) and the in-memory store's test.
 */
public interface GlobalFrontier {
    /** The frontier now; one short query on a database. */
    public suspend fun frontierStatus(): FrontierStatus
}
