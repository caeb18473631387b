package dev.estoria.jdbc.internal

import dev.estoria.error.StoreException
import dev.estoria.jdbc.SchemaMode
import dev.estoria.jdbc.exposed.EstoriaTables
import dev.estoria.jdbc.internal.exposed.ExposedDatabases
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.SQLException

/**
 * Creates or validates the tables of one [Component], per [SchemaMode]. Validation checks that the
 * tables are readable, that the schema-version row matches, that no column is missing (PostgreSQL:
 * Exposed's schema diff against [EstoriaTables], without its timing logs; SQLite: the JDBC metadata, so a
 * correct schema logs nothing), and that the unique keys the stores rely on exist (JDBC metadata).
 * Creation runs the same shape check afterwards, since `CREATE TABLE IF NOT EXISTS` keeps a table that
 * was there before.
 */
internal object SchemaProvisioner {
    fun ddl(dialect: Dialect, names: TableNames, components: List<Component>): String =
        components.flatMap { dialect.ddl(it, names) }.distinct().joinToString(";\n", postfix = ";\n")

    fun apply(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component, mode: SchemaMode) {
        when (mode) {
            SchemaMode.NONE -> return
            SchemaMode.CREATE -> create(runner, dialect, names, component)
            SchemaMode.VALIDATE -> validate(runner, dialect, names, component)
        }
    }

    private fun create(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component) {
        try {
            runner.blocking { s ->
                s.transaction {
                    dialect.lockForProvisioning(s, names)
                    val recorded = recordedVersion(s, names, component)
                    val steps = if (recorded != null && recorded < component.version) dialect.upgrade(component, names, recorded) else emptyList()
                    for (statement in steps + dialect.ddl(component, names)) {
                        s.connection.createStatement().use { it.execute(statement) }
                    }
                    checkVersion(s, dialect, names, component, allowMissing = false)
                }
            }
        } catch (e: SQLException) {
            throw StoreException("create schema", null, "creating the ${component.key} tables (${names.prefix}*) failed: ${e.message}", e)
        }
        // CREATE TABLE IF NOT EXISTS skips a table that exists already: check it is one this library can use
        checkShape(runner, dialect, names, component, "create schema")
    }

    private fun validate(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component) {
        try {
            runner.blocking { s ->
                for (table in tablesOf(component, names)) {
                    s.connection.createStatement().use { it.executeQuery("SELECT * FROM $table WHERE 1 = 0").close() }
                }
                checkVersion(s, dialect, names, component, allowMissing = false)
            }
        } catch (e: SQLException) {
            throw StoreException("validate schema", null, "the ${component.key} tables (${names.prefix}*) are missing or unreadable: ${e.message}", e)
        }
        checkShape(runner, dialect, names, component, "validate schema")
    }

    /**
     * The tables' columns (Exposed's schema diff against [EstoriaTables]) and the unique keys the stores'
     * correctness rests on (event ids, stream versions, primary keys), read from the JDBC metadata.
     */
    private fun checkShape(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component, operation: String) {
        val problems = try {
            val tables = exposedTablesOf(component, EstoriaTables.of(dialect, names))
            val columns = if (dialect is SqliteDialect) {
                runner.blocking { s -> missingColumns(s, tables) }.map { "no column $it" }
            } else {
                transaction(ExposedDatabases.of(runner.dataSource)) {
                    SchemaUtils.addMissingColumnsStatements(*tables, withLogs = false)
                }.map { "Exposed would run: $it" }
            }
            val keys = runner.blocking { s -> missingUniqueKeys(s, names, component) }
            columns + keys.map { "no unique index or key on $it" }
        } catch (e: SQLException) {
            throw StoreException(operation, null, "reading the ${component.key} tables' (${names.prefix}*) definition failed: ${e.message}", e)
        }
        if (problems.isNotEmpty()) {
            throw StoreException(
                operation,
                null,
                "the ${component.key} tables (${names.prefix}*) differ from what this library expects: " + problems.joinToString("; "),
                null,
            )
        }
    }

    /**
     * The columns of [tables] that the database lacks, as `table.column`, from the JDBC metadata. On
     * SQLite this replaces Exposed's diff, which can only add columns there and logs a warning for every
     * column whose declared type it reads back differently (SQLite keeps types loosely), even on a
     * table it created itself (module test: `SqliteQuietStartTest`).
     */
    private fun missingColumns(s: Session, tables: Array<Table>): List<String> = tables.flatMap { table ->
        val local = table.tableName.substringAfterLast('.')
        val present = HashSet<String>()
        s.connection.metaData.getColumns(null, null, local, null).use { rs ->
            while (rs.next()) present += rs.getString("COLUMN_NAME").lowercase()
        }
        table.columns.map { it.name.lowercase() }.filter { it !in present }.map { "$local.$it" }
    }

    /** Unique keys that the stores need, as `table(columns)`, that no unique index of the table covers exactly. */
    private fun missingUniqueKeys(s: Session, names: TableNames, component: Component): List<String> {
        val required: List<Pair<String, Set<String>>> = when (component) {
            Component.EVENTS -> listOf(
                names.local("events") to setOf("event_id"),
                names.local("events") to setOf("stream_id", "stream_version"),
                names.local("streams") to setOf("stream_id"),
            )
            Component.SNAPSHOTS -> listOf(names.local("snapshots") to setOf("aggregate_id", "aggregate_version"))
            Component.CHECKPOINTS -> listOf(names.local("checkpoints") to setOf("name"))
            Component.LEASES -> listOf(names.local("leases") to setOf("name"))
        }
        val schema = names.schema ?: s.connection.schema
        val byTable = HashMap<String, Set<Set<String>>>()
        return required.filter { (table, columns) ->
            val unique = byTable.getOrPut(table) { uniqueIndexes(s, schema, table) }
            columns !in unique
        }.map { (table, columns) -> "$table(${columns.joinToString(", ")})" }
    }

    private fun uniqueIndexes(s: Session, schema: String?, table: String): Set<Set<String>> {
        val columnsByIndex = HashMap<String, MutableSet<String>>()
        s.connection.metaData.getIndexInfo(null, schema, table, true, false).use { rs ->
            while (rs.next()) {
                val index = rs.getString("INDEX_NAME") ?: continue
                val column = rs.getString("COLUMN_NAME") ?: continue
                columnsByIndex.getOrPut(index) { HashSet() } += column.lowercase()
            }
        }
        return columnsByIndex.values.toSet()
    }

    private fun exposedTablesOf(component: Component, tables: EstoriaTables): Array<Table> = when (component) {
        Component.EVENTS -> arrayOf(tables.streams, tables.events)
        Component.SNAPSHOTS -> arrayOf(tables.snapshots)
        Component.CHECKPOINTS -> arrayOf(tables.checkpoints)
        Component.LEASES -> arrayOf(tables.leases)
    }

    private fun tablesOf(component: Component, names: TableNames): List<String> = when (component) {
        Component.EVENTS -> listOf(names.streams, names.events)
        Component.SNAPSHOTS -> listOf(names.snapshots)
        Component.CHECKPOINTS -> listOf(names.checkpoints)
        Component.LEASES -> listOf(names.leases)
    }

    /** The version the schema-version table records for [component], `null` when none (or no table yet). */
    private fun recordedVersion(s: Session, names: TableNames, component: Component): Int? {
        val schema = names.schema ?: s.connection.schema
        val exists = s.connection.metaData.getTables(null, schema, names.local("schema_version"), null).use { it.next() }
        if (!exists) return null
        return s.prepare("SELECT version FROM ${names.schemaVersion} WHERE component = ?").use { ps ->
            ps.setString(1, component.key)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getInt(1) else null }
        }
    }

    private fun checkVersion(s: Session, dialect: Dialect, names: TableNames, component: Component, allowMissing: Boolean) {
        val version = s.prepare("SELECT version FROM ${names.schemaVersion} WHERE component = ?").use { ps ->
            ps.setString(1, component.key)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getInt(1) else null }
        }
        if (version == null && allowMissing) return
        if (version != component.version) {
            val steps = if (version != null && version < component.version) dialect.upgrade(component, names, version) else emptyList()
            val fix = if (steps.isEmpty()) "" else {
                ": run the store once with SchemaMode.CREATE (it upgrades in place) or apply this DDL: " + steps.joinToString("; ")
            }
            throw StoreException(
                "validate schema",
                null,
                "${names.schemaVersion} records version ${version ?: "none"} for '${component.key}', " +
                    "this library expects ${component.version}$fix",
                null,
            )
        }
    }
}
