package dev.estoria.mongo

/** What a Mongo store does with its indexes when it starts. Default: [CREATE]. */
public enum class IndexMode {
    /**
     * Creates the indexes the store relies on when missing (idempotent: `createIndex` with the same
     * definition is a no-op, safe from several processes at once). The per-type layout creates a type's
     * indexes on its first append in this process.
     */
    CREATE,

    /**
     * Only checks that every index the store relies on exists with the right keys and uniqueness, and
     * fails with [dev.estoria.error.StoreException] otherwise. For teams that create indexes themselves
     * (docs/mongodb.md lists them).
     */
    VALIDATE,

    /** Neither creates nor checks anything. */
    NONE,
}
