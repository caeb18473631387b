// Shown in docs/jdbc.md from its imports on (CompiledDocSnippetsTest checks it).
package dev.estoria.examples.snippets

import dev.estoria.event.WritableEvent
import dev.estoria.id.TypeId
import dev.estoria.jdbc.JdbcTenants
import dev.estoria.tenancy.TenantContext
import kotlinx.coroutines.withContext
import java.nio.file.Path
import javax.sql.DataSource

suspend fun appendForTenant(pool: DataSource, id: TypeId, events: List<WritableEvent>) {
    val store = JdbcTenants.postgresSchemas(pool)                 // tenant "acme" → schema tenant_acme
    val files = JdbcTenants.sqliteFiles(Path.of("data/tenants"))  // tenant "acme" → data/tenants/acme.db
    withContext(TenantContext("acme")) { store.appendStream(id, events) }
    withContext(TenantContext("acme")) { files.appendStream(id, events) }
    store.close()
    files.close()
}
