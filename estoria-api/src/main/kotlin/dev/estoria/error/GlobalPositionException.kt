package dev.estoria.error

/**
 * The store refuses to write because it cannot give new events global positions above the ones it
 * stored: on PostgreSQL, the database's transaction counter is behind the stored positions (a restore
 * from a dump or a move by logical replication restarted it lower; new events would land below
 * positions subscribers already passed and be skipped silently), or the position space is close to
 * exhausted (see the PostgreSQL store's documentation for the bound). Nothing was written. The message
 * names the fix; retrying the same call does not help until the operator applied it.
 *
 * A [StoreException] subclass, so code handling store failures in general also handles this one.
 * Tested by `PostgresPositionSafetyTest` (estoria-jdbc).
 */
public class GlobalPositionException(
    operation: String,
    message: String,
    cause: Throwable? = null,
) : StoreException(operation, null, message, cause)
