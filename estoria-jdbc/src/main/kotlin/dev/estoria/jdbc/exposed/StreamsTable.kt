package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.TableNames
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * The `<prefix>streams` table as an Exposed [Table]: one row per stream with its current version (the
 * row the appends' compare-and-set works on). Read-only for Exposed code.
 *
 * Get one from [EstoriaTables.streams].
 */
public class StreamsTable internal constructor(names: TableNames) : Table(names.streams) {
    /** The stream id, `type_<uuid>`. */
    public val streamId: Column<String> = text("stream_id")

    /** The stream's current version (its last event's version; kept after a truncation). */
    public val streamVersion: Column<Long> = long("stream_version")

    /** The primary key: [streamId]. */
    override val primaryKey: PrimaryKey = PrimaryKey(streamId)
}
