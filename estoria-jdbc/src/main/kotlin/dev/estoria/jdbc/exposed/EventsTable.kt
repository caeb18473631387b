package dev.estoria.jdbc.exposed

import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.SqliteDialect
import dev.estoria.jdbc.internal.TableNames
import dev.estoria.jdbc.internal.exposed.InstantColumnType
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import java.time.Instant

/**
 * The `<prefix>events` table as an Exposed [Table], for reading the event log from Exposed code (read
 * models, reports, administration). **Write through the event store only**: its appends keep
 * versions, positions and the streams table consistent, which direct inserts would not.
 *
 * Get one from [EstoriaTables.events].
 */
public class EventsTable internal constructor(names: TableNames, dialect: Dialect) : Table(names.events) {
    /** The global position (`GlobalReader` order; sparse on PostgreSQL). */
    public val globalPosition: Column<Long> =
        long("global_position").let { if (dialect == SqliteDialect) it.autoIncrement() else it }

    /** The event id, `type_<uuid>`; unique. */
    public val eventId: Column<String> = text("event_id").uniqueIndex(names.local("events_event_id_key"))

    /** The stream id, `type_<uuid>`. */
    public val streamId: Column<String> = text("stream_id")

    /** The version of the event in its stream, from 1. */
    public val streamVersion: Column<Long> = long("stream_version")

    /** The event type name. */
    public val type: Column<String> = text("type")

    /** When the event was appended (microsecond precision). */
    public val createdAt: Column<Instant> = registerColumn("created_at", InstantColumnType(dialect))

    /** The payload's content type (may be empty). */
    public val contentType: Column<String> = text("content_type")

    /** The metadata as a JSON object of strings (`{}` when empty). */
    public val metadata: Column<String> = text("metadata")

    /** The payload bytes. */
    public val data: Column<ByteArray> = binary("data")

    /** The primary key: [globalPosition]. */
    override val primaryKey: PrimaryKey = PrimaryKey(globalPosition)

    init {
        uniqueIndex(names.local("events_stream_version_key"), streamId, streamVersion)
    }
}
