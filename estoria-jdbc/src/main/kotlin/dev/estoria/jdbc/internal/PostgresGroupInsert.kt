package dev.estoria.jdbc.internal

import dev.estoria.event.ExpectedVersion
import java.sql.Connection
import java.sql.PreparedStatement
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap

/**
 * Several appends to distinct streams in ONE auto-committed PostgreSQL statement (one round trip, one
 * commit, one transaction id), each with its own expected version: the coalesced path of [AppendCoalescer].
 *
 * The statement text is fixed (arrays, not a VALUES list per shape), so the server prepares it once per
 * connection. Every member's compare-and-set runs on its own stream row in a data-modifying CTE chosen by
 * its kind; only the events of members whose compare-and-set returned a row are inserted. Positions are
 * `((xid + offset) << 20) + i`, `i` numbering the group's events from 1 in member order, so the events of
 * one member are consecutive and every member's positions are above its stream's `last_position` (the
 * guard `st.last_position < (xid << 20)`: a position of another transaction is either below the base or at
 * or above `base + 2^20`, so comparing with the member's own new last position is the same test).
 * A member refused (its expected version, or a lost race) writes nothing and is reported as `null`; a
 * failure of the statement (a reused event id, a serialization failure) writes nothing for any member.
 */
internal object PostgresGroupInsert {
    /** Member kinds, one compare-and-set CTE each. */
    private const val ANY = 0
    private const val NO_STREAM = 1
    private const val EXACT_ZERO = 2
    private const val EXISTS = 3
    private const val EXACT = 4

    private fun kind(expected: ExpectedVersion): Int = when (expected) {
        ExpectedVersion.Any -> ANY
        ExpectedVersion.NoStream -> NO_STREAM
        ExpectedVersion.StreamExists -> EXISTS
        is ExpectedVersion.Exact -> if (expected.version == 0L) EXACT_ZERO else EXACT
    }

    private val sqlByTables = ConcurrentHashMap<String, String>()

    private fun sql(names: TableNames): String = sqlByTables.getOrPut("${names.events}|${names.streams}") {
        val st = names.streams
        val bits = PostgresDialect.XID_BITS
        val upsert = "INSERT INTO $st AS st (stream_id, stream_version, last_position) SELECT a.stream_id, a.n, ok.base + a.last_i FROM a, ok WHERE a.kind = "
        val bump = "UPDATE SET stream_version = st.stream_version + excluded.stream_version, last_position = excluded.last_position WHERE "
        val back = "RETURNING st.stream_id, st.stream_version"
        "WITH x AS (SELECT pg_current_xact_id()::text::bigint + ${PostgresPositions.offset(names)} AS xid), " +
            "ok AS (SELECT x.xid << $bits AS base FROM x WHERE (x.xid << $bits) > ? AND x.xid < ${PostgresPositions.LIMIT_XID}), " +
            "a AS (SELECT * FROM unnest(?::int[], ?::text[], ?::int[], ?::bigint[], ?::int[], ?::int[]) AS a(k, stream_id, kind, expected, n, last_i)), " +
            "c0 AS ($upsert$ANY ON CONFLICT (stream_id) DO ${bump}st.last_position < excluded.last_position $back), " +
            "c1 AS ($upsert$NO_STREAM ON CONFLICT (stream_id) DO NOTHING $back), " +
            "c2 AS ($upsert$EXACT_ZERO ON CONFLICT (stream_id) DO ${bump}st.stream_version = 0 AND st.last_position < excluded.last_position $back), " +
            "c3 AS (UPDATE $st AS st SET stream_version = st.stream_version + a.n, last_position = ok.base + a.last_i FROM a, ok " +
            "WHERE st.stream_id = a.stream_id AND (a.kind = $EXISTS OR (a.kind = $EXACT AND st.stream_version = a.expected)) " +
            "AND st.last_position < ok.base $back), " +
            "s AS (SELECT * FROM c0 UNION ALL SELECT * FROM c1 UNION ALL SELECT * FROM c2 UNION ALL SELECT * FROM c3), " +
            "w AS (INSERT INTO ${names.events} (global_position, event_id, stream_id, stream_version, type, created_at, content_type, metadata, data) " +
            "SELECT ok.base + e.i, e.event_id, a.stream_id, s.stream_version - a.n + e.v, e.type, ?::timestamptz, e.content_type, e.metadata, e.data " +
            "FROM unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[]) " +
            "AS e(k, i, v, event_id, type, content_type, metadata, data) " +
            "JOIN a ON a.k = e.k JOIN s ON s.stream_id = a.stream_id CROSS JOIN ok RETURNING 1) " +
            "SELECT a.k, s.stream_version, ok.base, (SELECT count(*) FROM w) FROM a JOIN s ON s.stream_id = a.stream_id CROSS JOIN ok"
    }

    /**
     * Writes [members] (distinct streams) in one statement; returns, per member in order, what it stored,
     * or `null` when its compare-and-set refused it (nothing of it written). Throws the driver's exception
     * when the statement fails (nothing of any member written).
     */
    fun insert(session: Session, names: TableNames, members: List<GroupMember>, timestamp: Instant, highWater: Long): Array<Inserted?> {
        val c = session.connection
        val m = members.size
        val total = members.sumOf { it.events.size }
        val lastIndex = IntArray(m)
        var running = 0
        members.forEachIndexed { k, member ->
            running += member.events.size
            lastIndex[k] = running
        }
        val out = arrayOfNulls<Inserted>(m)
        session.prepare(sql(names)).use { ps ->
            var p = 1
            ps.setLong(p++, highWater)
            ps.setArray(p++, c.createArrayOf("int4", Array(m) { it }))
            ps.setArray(p++, c.createArrayOf("text", Array(m) { members[it].streamId }))
            ps.setArray(p++, c.createArrayOf("int4", Array(m) { kind(members[it].expected) }))
            ps.setArray(p++, c.createArrayOf("int8", Array(m) { (members[it].expected as? ExpectedVersion.Exact)?.version ?: 0L }))
            ps.setArray(p++, c.createArrayOf("int4", Array(m) { members[it].events.size }))
            ps.setArray(p++, c.createArrayOf("int4", Array(m) { lastIndex[it] }))
            PostgresDialect.bindTimestamp(ps, p++, timestamp)
            p = bindEvents(c, ps, p, members, total)
            ps.executeQuery().use { rs ->
                while (rs.next()) {
                    val k = rs.getInt(1)
                    val newVersion = rs.getLong(2)
                    val base = rs.getLong(3)
                    val n = members[k].events.size
                    val first = lastIndex[k] - n + 1
                    out[k] = Inserted(newVersion, LongArray(n) { base + first + it })
                }
            }
        }
        return out
    }

    private fun bindEvents(c: Connection, ps: PreparedStatement, start: Int, members: List<GroupMember>, total: Int): Int {
        val k = arrayOfNulls<Int>(total)
        val v = arrayOfNulls<Int>(total)
        val ids = arrayOfNulls<String>(total)
        val types = arrayOfNulls<String>(total)
        val contentTypes = arrayOfNulls<String>(total)
        val metadata = arrayOfNulls<String>(total)
        val data = arrayOfNulls<ByteArray>(total)
        var j = 0
        members.forEachIndexed { member, m ->
            m.events.forEachIndexed { index, e ->
                k[j] = member
                v[j] = index + 1
                ids[j] = e.id
                types[j] = e.type
                contentTypes[j] = e.contentType
                metadata[j] = e.metadata
                data[j] = e.data
                j++
            }
        }
        var p = start
        ps.setArray(p++, c.createArrayOf("int4", k))
        ps.setArray(p++, c.createArrayOf("int4", Array(total) { it + 1 }))
        ps.setArray(p++, c.createArrayOf("int4", v))
        ps.setArray(p++, c.createArrayOf("text", ids))
        ps.setArray(p++, c.createArrayOf("text", types))
        ps.setArray(p++, c.createArrayOf("text", contentTypes))
        ps.setArray(p++, c.createArrayOf("text", metadata))
        ps.setArray(p++, c.createArrayOf("bytea", data))
        return p
    }
}

/** One append of a coalesced group, as the dialect writes it. */
internal class GroupMember(val streamId: String, val events: List<EncodedEvent>, val expected: ExpectedVersion)
