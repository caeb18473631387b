package dev.estoria.jdbc

import dev.estoria.projection.EventEnvelope
import java.sql.Connection

/**
 * A blocking projection handler that writes its read model on the batch transaction's [Connection] of a
 * same-transaction processor ([JdbcProjectionTransactions]): the Java way to be effectively once. Adapt it with
 * [JdbcProjectionTransactions.handler]; never commit, roll back or close the connection. It runs on the JDBC
 * dispatcher ([JdbcStoreOptions.dispatcher]) inside the batch transaction, so its writes commit with the fenced
 * checkpoint or not at all. Tested by `ProjectionsFromJavaTest` (Java, SQLite, partitions).
 */
public fun interface JdbcEventHandler<E> {
    /** Applies [event] with [connection], the batch transaction's connection. */
    @Throws(Exception::class)
    public fun handle(event: E, envelope: EventEnvelope, connection: Connection)
}
