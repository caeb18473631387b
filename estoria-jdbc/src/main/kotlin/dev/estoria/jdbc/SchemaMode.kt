package dev.estoria.jdbc

/** What a JDBC store does with its tables when it is created. Default: [CREATE]. */
public enum class SchemaMode {
    /**
     * Creates the schema (PostgreSQL), tables, indexes and the schema-version row when missing
     * (idempotent, safe to run from several processes at once), then checks the recorded version.
     */
    CREATE,

    /**
     * Only checks that the tables exist and that the schema-version table records the version this
     * library expects; fails otherwise. For teams that run the DDL themselves (print it with `ddl()`).
     */
    VALIDATE,

    /** Neither creates nor checks anything. */
    NONE,
}
