package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.TableNames
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * The `<prefix>streams` table as an Exposed [Table]: one row per stream with its current version and
 * last position (the row the appends' compare-and-set works on). Read-only for Exposed code.
 *
 * Get one from [EstoriaTables.streams].
 */
public class StreamsTable internal constructor(names: TableNames) : Table(names.streams) {
    /** The stream id, `type_<uuid>`. */
    public val streamId: Column<String> = text("stream_id")

    /** The stream's current version (its last event's version; kept after a truncation). */
    public val streamVersion: Column<Long> = long("stream_version")

    /**
     * The global position of the stream's last appended event (0 for a row written before schema
     * version 2 filled it): PostgreSQL appends require new positions above it, which keeps positions
     * rising with versions within the stream.
     */
    public val lastPosition: Column<Long> = long("last_position").default(0L)

    /** The primary key: [streamId]. */
    override val primaryKey: PrimaryKey = PrimaryKey(streamId)
}
