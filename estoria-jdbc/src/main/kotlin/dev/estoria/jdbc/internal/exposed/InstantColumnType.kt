package dev.estoria.jdbc.internal.exposed

import dev.estoria.jdbc.internal.Dialect
import dev.estoria.jdbc.internal.Micros
import dev.estoria.jdbc.internal.PostgresDialect
import dev.estoria.jdbc.internal.SqliteDialect
import org.jetbrains.exposed.v1.core.ColumnType
import org.jetbrains.exposed.v1.core.statements.api.RowApi
import java.sql.Timestamp
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * An [Instant] column stored as the event tables store it: `TIMESTAMPTZ` on PostgreSQL, microseconds
 * since the epoch in an `INTEGER` on SQLite. Values keep microsecond precision, so a timestamp written
 * by the event store reads back equal through Exposed.
 */
internal class InstantColumnType(private val dialect: Dialect) : ColumnType<Instant>() {
    override fun sqlType(): String = when (dialect) {
        PostgresDialect -> "TIMESTAMPTZ"
        SqliteDialect -> "INTEGER"
    }

    override fun valueFromDB(value: Any): Instant = when (value) {
        is Instant -> value
        is OffsetDateTime -> value.toInstant()
        is Timestamp -> value.toInstant()
        is Number -> Micros.fromMicros(value.toLong())
        else -> error("unexpected ${value::class.java.name} in an Estoria timestamp column")
    }

    override fun readObject(rs: RowApi, index: Int): Any? = when (dialect) {
        PostgresDialect -> rs.getObject(index, OffsetDateTime::class.java)
        SqliteDialect -> rs.getObject(index)
    }

    override fun notNullValueToDB(value: Instant): Any = when (dialect) {
        PostgresDialect -> OffsetDateTime.ofInstant(Micros.truncate(value), ZoneOffset.UTC)
        SqliteDialect -> Micros.toMicros(value)
    }

    override fun nonNullValueToString(value: Instant): String = when (dialect) {
        PostgresDialect -> "'${OffsetDateTime.ofInstant(Micros.truncate(value), ZoneOffset.UTC)}'::timestamptz"
        SqliteDialect -> Micros.toMicros(value).toString()
    }
}
