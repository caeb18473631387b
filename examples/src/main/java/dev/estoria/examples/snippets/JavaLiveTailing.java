package dev.estoria.examples.snippets;

import dev.estoria.eventstore.EventStore;
import dev.estoria.jdbc.JdbcStoreOptions;
import dev.estoria.jdbc.live.PostgresAppendListener;
import dev.estoria.jdbc.live.PostgresAppendNotifier;
import dev.estoria.jdbc.live.PostgresConnections;
import dev.estoria.projection.AppendSignalKt;
import dev.estoria.projection.ProjectionOptions;

/** docs/live-tailing.md, from Java: the notifier for writers, the listener for processors. */
public final class JavaLiveTailing {
    private JavaLiveTailing() {
    }

    /** Starts both workers; the caller closes them. Returns the processors' options. */
    public static ProjectionOptions start(EventStore eventStore, JdbcStoreOptions storeOptions, String jdbcUrl, String user, String password) {
        PostgresConnections direct = PostgresConnections.of(jdbcUrl, user, password);
        PostgresAppendNotifier notifier = new PostgresAppendNotifier(direct, storeOptions);
        notifier.start();                                                  // close() stops it
        EventStore writer = AppendSignalKt.signalling(eventStore, notifier.getSignal());
        PostgresAppendListener listener = new PostgresAppendListener(direct, storeOptions);
        listener.start();
        ProjectionOptions options = ProjectionOptions.builder().wakeUp(listener.getSignal()).build();
        return options;
    }
}
