package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncCheckpointStore;
import dev.estoria.async.AsyncProjectionProcessor;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.JavaProjections;
import dev.estoria.jdbc.JdbcCheckpointStore;
import dev.estoria.jdbc.JdbcLeaseStore;
import dev.estoria.jdbc.JdbcProjectionTransactions;
import dev.estoria.jdbc.SqliteEventStore;
import dev.estoria.projection.EventEnvelope;
import dev.estoria.projection.Projection;
import dev.estoria.projection.ProjectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same-transaction mode from Java, with partitions and the retire API: blocking JDBC handlers write the
 * read model on the batch transaction's connection (JdbcProjectionTransactions.handler), a partitioned processor
 * with leases applies every event once, and retiring the version deletes its checkpoints.
 */
class SameTransactionFromJavaTest {
    private static void insert(Connection c, EventEnvelope env, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balances (account, amount, position) VALUES (?, ?, ?)")) {
            ps.setString(1, env.getStreamId().toString());
            ps.setLong(2, amount);
            ps.setLong(3, env.getGlobalPosition());
            ps.executeUpdate();
        }
    }

    @Test
    void aPartitionedJavaProjectionWritesItsReadModelInTheBatchTransactionAndIsRetired(@TempDir Path dir) throws Exception {
        DataSource ds = SqliteEventStore.dataSource(dir.resolve("java-balances.db"));
        SqliteEventStore events = SqliteEventStore.create(ds);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE balances (account TEXT NOT NULL, amount INTEGER NOT NULL, position INTEGER NOT NULL)");
        }
        Projection balances = JavaProjections.define("balances").partitions(4)
            .on(Bank.ACCOUNT, Bank.Deposited.class, JdbcProjectionTransactions.handler((e, env, c) -> insert(c, env, e.amount())))
            .on(Bank.ACCOUNT, Bank.Withdrawn.class, JdbcProjectionTransactions.handler((e, env, c) -> insert(c, env, -e.amount())))
            .build();
        JdbcCheckpointStore checkpoints = JdbcCheckpointStore.sqlite(ds);
        JdbcLeaseStore leases = JdbcLeaseStore.sqlite(ds);
        ProjectionOptions options = ProjectionOptions.builder()
            .leases(leases, Duration.ofSeconds(30))
            .acquireInterval(Duration.ofMillis(50))
            .committer(JdbcProjectionTransactions.sqlite(ds))
            .idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .build();
        try (AsyncAggregateStore<Bank.Account> accounts = AggregateStack.builder(events, Bank.ACCOUNT).build();
             AsyncProjectionProcessor processor = AsyncProjectionProcessor.builder(balances, events, checkpoints).options(options).build()) {
            processor.start();
            for (int i = 0; i < 6; i++) {
                Aggregate<Bank.Account> account = accounts.create();
                account.append(new Bank.Opened("owner-" + i), new Bank.Deposited(100), new Bank.Withdrawn(30));
                accounts.save(account).get(30, TimeUnit.SECONDS);
            }
            // a fresh store numbers its positions from 1: 6 accounts of 3 events end at 18
            processor.awaitPosition(18).get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(0, 1, 2, 3), processor.ownedPartitions());
            processor.stop().get(30, TimeUnit.SECONDS);
        }
        Map<String, long[]> rows = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT account, SUM(amount), COUNT(*) FROM balances GROUP BY account")) {
            while (rs.next()) rows.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
        assertEquals(6, rows.size());
        for (long[] row : rows.values()) {
            assertEquals(70L, row[0]);
            assertEquals(2L, row[1], "each event applied exactly once");
        }
        AsyncCheckpointStore async = AsyncCheckpointStore.from(checkpoints);
        assertTrue(async.load(balances.partitionName(3)).get(30, TimeUnit.SECONDS).isPresent());
        AsyncProjectionProcessor.retire(balances, checkpoints, leases).get(30, TimeUnit.SECONDS);
        for (String name : balances.getCheckpointNames()) {
            assertTrue(async.load(name).get(30, TimeUnit.SECONDS).isEmpty(), name + " retired");
        }
        async.close();
    }
}
