package dev.estoria.eventstore

import java.time.Duration

/**
 * A transaction that holds a [GlobalFrontier] back (PostgreSQL: a running transaction with an id older
 * than the newest stored event's, from `pg_stat_activity`, or a prepared transaction).
 *
 * @property pid the server process id (`pg_terminate_backend(pid)` ends it); 0 for a prepared transaction.
 * @property database the database it runs in (it may be another database of the same server).
 * @property state the backend state (`idle in transaction`, `active`, …; `prepared` for a prepared transaction).
 * @property transactionAge how long the transaction has been open.
 * @property transactionId its transaction id.
 */
public class FrontierHolder(
    public val pid: Int,
    public val database: String?,
    public val state: String?,
    public val transactionAge: Duration,
    public val transactionId: Long,
) {
    override fun toString(): String =
        "FrontierHolder(pid=$pid, database=$database, state=$state, transactionAge=$transactionAge, transactionId=$transactionId)"
}
