package dev.estoria.examples.snippets;

import static dev.estoria.examples.java.JavaBankDemo.ACCOUNT;

import dev.estoria.examples.java.JavaBankDemo.Deposited;
import dev.estoria.java.JavaProjections;
import dev.estoria.jdbc.JdbcLeaseStore;
import dev.estoria.jdbc.JdbcProjectionTransactions;
import dev.estoria.projection.Projection;
import dev.estoria.projection.ProjectionOptions;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;

/** docs/projections.md, from Java: a blocking handler writing the read model on the batch's connection. */
public final class JavaSameTransaction {
    private JavaSameTransaction() {
    }

    /** The projection; its options come from {@link #options}. */
    public static Projection balances() {
        Projection balances = JavaProjections.define("balances").partitions(4)
            .on(ACCOUNT, Deposited.class, JdbcProjectionTransactions.handler((e, env, connection) -> {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO balances (account_id, balance) VALUES (?, ?) "
                            + "ON CONFLICT (account_id) DO UPDATE SET balance = balances.balance + excluded.balance")) {
                    ps.setString(1, env.getStreamId().toString());
                    ps.setLong(2, e.amount());
                    ps.executeUpdate();
                }
            }))
            .build();
        return balances;
    }

    /** Leases and the same-transaction committer on one SQLite database. */
    public static ProjectionOptions options(DataSource ds) {
        ProjectionOptions options = ProjectionOptions.builder().leases(JdbcLeaseStore.sqlite(ds), Duration.ofSeconds(15))
            .committer(JdbcProjectionTransactions.sqlite(ds)).build();
        return options;
    }
}
