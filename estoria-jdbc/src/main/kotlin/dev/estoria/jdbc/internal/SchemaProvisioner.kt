package dev.estoria.jdbc.internal

import dev.estoria.error.StoreFailure
import dev.estoria.jdbc.SchemaMode
import java.sql.SQLException

/** Creates or validates the tables of one [Component], per [SchemaMode]. */
internal object SchemaProvisioner {
    fun ddl(dialect: Dialect, names: TableNames, components: List<Component>): String =
        components.flatMap { dialect.ddl(it, names) }.distinct().joinToString(";\n", postfix = ";\n")

    fun apply(runner: JdbcRunner, dialect: Dialect, names: TableNames, component: Component, mode: SchemaMode) {
        when (mode) {
            SchemaMode.NONE -> return
            SchemaMode.CREATE -> create(runner, dialect, names, component)
            SchemaMode.VALIDATE -> validate(runner, names, component)
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

    private fun validate(runner: JdbcRunner, names: TableNames, component: Component) {
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
