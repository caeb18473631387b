package dev.estoria.facade;

import dev.estoria.async.AsyncEventStore;
import dev.estoria.error.InvalidInputException;
import dev.estoria.error.StreamNotFoundException;
import dev.estoria.event.WritableEvent;
import dev.estoria.id.TypeId;
import dev.estoria.jdbc.JdbcStoreOptions;
import dev.estoria.jdbc.JdbcEventStore;
import dev.estoria.jdbc.JdbcTenants;
import dev.estoria.tenancy.MultiTenantEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.estoria.facade.Futures.failure;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Multitenancy from Java: a tenant's own store through {@code forTenant}, JDBC work on a Java executor. */
class MultiTenantJavaTest {
    @Test
    void eachTenantGetsItsOwnIsolatedStore(@TempDir Path dir) {
        ExecutorService jdbcPool = Executors.newFixedThreadPool(2);
        try {
            JdbcStoreOptions options = JdbcStoreOptions.builder().executor(jdbcPool).build();
            MultiTenantEventStore<JdbcEventStore> tenants = JdbcTenants.sqliteFiles(dir, options);
            assertSame(tenants.forTenant("acme"), tenants.forTenant("acme"), "created once, then kept");
            TypeId id = TypeId.create("account");
            List<WritableEvent> events = List.of(WritableEvent.of("opened", "{}".getBytes(StandardCharsets.UTF_8)));
            try (AsyncEventStore acme = AsyncEventStore.from(tenants.forTenant("acme"));
                 AsyncEventStore globex = AsyncEventStore.from(tenants.forTenant("globex"))) {
                get(acme.appendStream(id, events));
                assertEquals(1, get(acme.readStreamList(id)).size());
                failure(globex.readStreamList(id), StreamNotFoundException.class);
            }
            assertEquals(true, dir.resolve("acme.db").toFile().exists());
            assertThrows(InvalidInputException.class, () -> tenants.forTenant("../etc"));
        } finally {
            jdbcPool.shutdownNow();
        }
    }
}
