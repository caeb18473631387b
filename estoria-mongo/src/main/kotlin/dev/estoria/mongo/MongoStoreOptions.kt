package dev.estoria.mongo

import dev.estoria.error.InvalidInputException
import dev.estoria.mongo.internal.CollectionNames
import java.time.Clock
import java.time.Duration

/**
 * Options shared by the Mongo event, snapshot and checkpoint stores. Build with [builder]; every option
 * has a default, so [DEFAULT] is a complete configuration. Names are checked when the options are built
 * (an invalid one throws [InvalidInputException]), so nothing from configuration can address another
 * collection or a `system.` one.
 */
public class MongoStoreOptions private constructor(builder: Builder) {
    /**
     * Prefix of every collection name: `<prefix>events` (or `<prefix>events_<type>`), `<prefix>positions`,
     * `<prefix>snapshots`, `<prefix>checkpoints`. Default `estoria_`. Empty or `[A-Za-z_][A-Za-z0-9_]*`,
     * at most [MAX_PREFIX_LENGTH] characters, not starting with `system`.
     */
    public val collectionPrefix: String = builder.collectionPrefix

    /** Where the stream documents live. Default [MongoLayout.SINGLE_COLLECTION]. */
    public val layout: MongoLayout = builder.layout

    /** What to do with the indexes at start. Default [IndexMode.CREATE]. */
    public val indexMode: IndexMode = builder.indexMode

    /**
     * How long a global reader waits for a reserved position to be written before it marks the position
     * as skipped (a writer that reserved it and stalled or died). A latency bound, not a correctness knob:
     * whatever its value, the unique position index decides whether the writer or the marker won.
     * Default 2 seconds; at least 1 millisecond.
     */
    public val holeTimeout: Duration = builder.holeTimeout

    /**
     * The largest append accepted, in bytes of its document (payloads, ids, content types and metadata of
     * the whole batch, plus per-event overhead); a larger batch fails before anything is written, with
     * [dev.estoria.error.EventTooLargeException] when one event alone is too large and
     * [InvalidInputException] otherwise. Default and maximum [MAX_BATCH_BYTES] (MongoDB's 16 MiB document
     * limit less headroom for the document's own fields).
     */
    public val maxBatchBytes: Int = builder.maxBatchBytes

    /** Events read per page of a stream or global read. Default 500. */
    public val pageSize: Int = builder.pageSize

    /** Source of event timestamps (stored, and returned, in milliseconds). Default: UTC system clock. */
    public val clock: Clock = builder.clock

    init {
        CollectionNames.requirePrefix(collectionPrefix)
        if (holeTimeout < Duration.ofMillis(1)) throw InvalidInputException("holeTimeout must be >= 1 ms, was $holeTimeout")
        if (maxBatchBytes !in 1..MAX_BATCH_BYTES) throw InvalidInputException("maxBatchBytes must be 1..$MAX_BATCH_BYTES, was $maxBatchBytes")
        if (pageSize < 1) throw InvalidInputException("pageSize must be >= 1, was $pageSize")
    }

    /** A builder starting from these options. */
    public fun toBuilder(): Builder = Builder(this)

    override fun toString(): String =
        "MongoStoreOptions(collectionPrefix='$collectionPrefix', layout=$layout, indexMode=$indexMode, " +
            "holeTimeout=$holeTimeout, maxBatchBytes=$maxBatchBytes, pageSize=$pageSize)"

    /** Builder of [MongoStoreOptions]; each setter documents its default on the matching property. */
    public class Builder internal constructor(from: MongoStoreOptions?) {
        internal var collectionPrefix: String = from?.collectionPrefix ?: DEFAULT_PREFIX
        internal var layout: MongoLayout = from?.layout ?: MongoLayout.SINGLE_COLLECTION
        internal var indexMode: IndexMode = from?.indexMode ?: IndexMode.CREATE
        internal var holeTimeout: Duration = from?.holeTimeout ?: DEFAULT_HOLE_TIMEOUT
        internal var maxBatchBytes: Int = from?.maxBatchBytes ?: MAX_BATCH_BYTES
        internal var pageSize: Int = from?.pageSize ?: DEFAULT_PAGE_SIZE
        internal var clock: Clock = from?.clock ?: Clock.systemUTC()

        /** See [MongoStoreOptions.collectionPrefix]. */
        public fun collectionPrefix(prefix: String): Builder = apply { collectionPrefix = prefix }

        /** See [MongoStoreOptions.layout]. */
        public fun layout(layout: MongoLayout): Builder = apply { this.layout = layout }

        /** See [MongoStoreOptions.indexMode]. */
        public fun indexMode(mode: IndexMode): Builder = apply { indexMode = mode }

        /** See [MongoStoreOptions.holeTimeout]. */
        public fun holeTimeout(timeout: Duration): Builder = apply { holeTimeout = timeout }

        /** See [MongoStoreOptions.maxBatchBytes]. */
        public fun maxBatchBytes(bytes: Int): Builder = apply { maxBatchBytes = bytes }

        /** See [MongoStoreOptions.pageSize]. */
        public fun pageSize(events: Int): Builder = apply { pageSize = events }

        /** See [MongoStoreOptions.clock]. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /**
         * Builds the options.
         *
         * @throws InvalidInputException when the prefix is not a valid name or a number is out of range.
         */
        public fun build(): MongoStoreOptions = MongoStoreOptions(this)
    }

    /** Defaults and the builder. */
    public companion object {
        /** Default [collectionPrefix]. */
        public const val DEFAULT_PREFIX: String = "estoria_"

        /** Longest [collectionPrefix]. */
        public const val MAX_PREFIX_LENGTH: Int = 64

        /** Default and largest [maxBatchBytes]: 16 MiB less 64 KiB. */
        public const val MAX_BATCH_BYTES: Int = 16 * 1024 * 1024 - 64 * 1024

        /** Default [pageSize]. */
        public const val DEFAULT_PAGE_SIZE: Int = 500

        /** Default [holeTimeout]: 2 seconds. */
        @JvmField
        public val DEFAULT_HOLE_TIMEOUT: Duration = Duration.ofSeconds(2)

        /** All defaults. */
        @JvmField
        public val DEFAULT: MongoStoreOptions = Builder(null).build()

        /** A builder with every option at its default. */
        @JvmStatic
        public fun builder(): Builder = Builder(null)
    }
}
