package dev.estoria.jdbc.internal

import dev.estoria.error.StoreFailure
import dev.estoria.jdbc.SchemaMode
import dev.estoria.jdbc.exposed.EstoriaTables
import dev.estoria.jdbc.internal.exposed.ExposedDatabases
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.SQLException

/**
 * Creates or validates the tables of one [Component], per [SchemaMode]. Validation checks that the
 * tables are readable, that the schema-version row matches, and (through Exposed's schema diff
 * against [EstoriaTables]) that no column is missing or differs in nullability.
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
                    for (statement in dialect.ddl(component, names)) {
                        s.connection.createStatement().use { it.execute(statement) }
                    }
                    checkVersion(s, names, component, allowMissing = false)
                }
            }
        } catch (e: SQLException) {
            throw StoreFailure("create schema", null, "creating the ${component.key} tables (${names.prefix}*) failed: ${e.message}", e)
        }
    }

    private fun validate(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component) {
        try {
            runner.blocking { s ->
                for (table in tablesOf(component, names)) {
                    s.connection.createStatement().use { it.executeQuery("SELECT * FROM $table WHERE 1 = 0").close() }
                }
                checkVersion(s, names, component, allowMissing = false)
            }
        } catch (e: SQLException) {
            throw StoreFailure("validate schema", null, "the ${component.key} tables (${names.prefix}*) are missing or unreadable: ${e.message}", e)
        }
        val missing = transaction(ExposedDatabases.of(runner.dataSource)) {
            SchemaUtils.addMissingColumnsStatements(*exposedTablesOf(component, EstoriaTables.of(dialect, names)))
        }
        if (missing.isNotEmpty()) {
            throw StoreFailure(
                "validate schema",
                null,
                "the ${component.key} tables (${names.prefix}*) differ from what this library expects; Exposed would run: " +
                    missing.joinToString("; "),
                null,
            )
        }
    }

    private fun exposedTablesOf(component: Component, tables: EstoriaTables): Array<Table> = when (component) {
        Component.EVENTS -> arrayOf(tables.streams, tables.events)
        Component.SNAPSHOTS -> arrayOf(tables.snapshots)
        Component.CHECKPOINTS -> arrayOf(tables.checkpoints)
    }

    private fun tablesOf(component: Component, names: TableNames): List<String> = when (component) {
        Component.EVENTS -> listOf(names.streams, names.events)
        Component.SNAPSHOTS -> listOf(names.snapshots)
        Component.CHECKPOINTS -> listOf(names.checkpoints)
    }

    private fun checkVersion(s: Session, names: TableNames, component: Component, allowMissing: Boolean) {
        val version = s.prepare("SELECT version FROM ${names.schemaVersion} WHERE component = ?").use { ps ->
            ps.setString(1, component.key)
            ps.executeQuery().use { rs -> if (rs.next()) rs.getInt(1) else null }
        }
        if (version == null && allowMissing) return
        if (version != component.version) {
            throw StoreFailure(
                "validate schema",
                null,
                "${names.schemaVersion} records version ${version ?: "none"} for '${component.key}', " +
                    "this library expects ${component.version}",
                null,
            )
        }
    }
}
