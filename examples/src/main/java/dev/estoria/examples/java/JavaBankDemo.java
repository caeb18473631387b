package dev.estoria.examples.java;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.aggregatestore.RetryPolicy;
import dev.estoria.aggregatestore.snapshotting.SnapshotPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncProjectionProcessor;
import dev.estoria.cache.memory.InMemoryAggregateCache;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.event.Event;
import dev.estoria.event.ExpectedVersion;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import dev.estoria.java.JavaAggregates;
import dev.estoria.java.JavaHooks;
import dev.estoria.java.JavaProjections;
import dev.estoria.projection.Projection;
import dev.estoria.projection.memory.InMemoryCheckpointStore;
import dev.estoria.snapshot.memory.InMemorySnapshotStore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

/**
 * The bank-account demo written in plain Java against the java-facade: records for state and events,
 * the Java aggregate builder, the canonical layer stack (snapshots, cache, hooks) on an executor,
 * CompletableFuture composition, typed failures as causes, a Flow.Publisher read, and an account-balances
 * read model kept by a projection with Java handlers (started and stopped with futures).
 *
 * Run: {@code mvn -B -ntp -q -Dkotlin.compiler.daemon=false -pl examples -am compile exec:java
 * -Destoria.mainClass=dev.estoria.examples.java.JavaBankDemo}
 */
public final class JavaBankDemo {
    private JavaBankDemo() {}

    /** The state: a plain record. */
    public record Account(String id, String owner, long balance) {}

    /** The events: plain records, no annotations (encoded as JSON by Jackson). */
    public record Opened(String owner) {}

    public record Deposited(long amount) {}

    public record Withdrawn(long amount) {}

    /** A business rule violation thrown by a decision; never retried. */
    public static final class InsufficientFunds extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InsufficientFunds(long balance, long amount) {
            super("balance " + balance + " does not cover " + amount);
        }
    }

    public static final AggregateDefinition<Account> ACCOUNT = JavaAggregates.define("account", Account.class)
        .initial(id -> new Account(id.toString(), "", 0))
        .on(Opened.class, "opened", (account, e) -> new Account(account.id(), e.owner(), account.balance()))
        .on(Deposited.class, "deposited", (account, e) -> new Account(account.id(), account.owner(), account.balance() + e.amount()))
        .on(Withdrawn.class, "withdrawn", (account, e) -> new Account(account.id(), account.owner(), account.balance() - e.amount()))
        .build();

    static List<Object> withdraw(Account account, long amount) {
        if (account.balance() < amount) throw new InsufficientFunds(account.balance(), amount);
        return List.of(new Withdrawn(amount));
    }

    public static void main(String[] args) {
        InMemoryEventStore events = new InMemoryEventStore();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        String requestId = UUID.randomUUID().toString();
        // the read model: balances by account, kept by a projection with Java handlers
        Map<TypeId, Long> balances = new ConcurrentHashMap<>();
        Projection balancesProjection = JavaProjections.define("account_balances")
            .on(ACCOUNT, Deposited.class, (e, env) -> balances.merge(env.getStreamId(), e.amount(), Long::sum))
            .on(ACCOUNT, Withdrawn.class, (e, env) -> balances.merge(env.getStreamId(), -e.amount(), Long::sum))
            .build();

        try (AsyncProjectionProcessor projector = AsyncProjectionProcessor.builder(balancesProjection, events, new InMemoryCheckpointStore())
                 .executor(executor).build().start();
             AsyncEventStore eventStore = AsyncEventStore.from(events, executor);
             AsyncAggregateStore<Account> accounts = AggregateStack.builder(events, ACCOUNT)
                 .snapshots(new InMemorySnapshotStore(3), SnapshotPolicy.everyNEvents(5))
                 .cache(new InMemoryAggregateCache<>())
                 .hooks(JavaHooks.<Account>builder()
                     .beforeSave(account -> account.putMetadata("correlation_id", requestId))
                     .afterSave(account -> System.out.println("saved " + account.getId() + " at version " + account.getVersion()))
                     .build())
                 .executor(executor)
                 .build()) {

            // Open an account: a new aggregate, two events, one save.
            Aggregate<Account> account = accounts.create();
            account.append(new Opened("Ada"), new Deposited(100));
            accounts.save(account).join();
            TypeId id = account.getId();

            // Command handlers: load, decide, save, retried on version conflicts; futures compose.
            accounts.update(id, state -> List.of(new Deposited(50)))
                .thenCompose(saved -> accounts.update(id, state -> withdraw(state, 30)))
                .thenAccept(saved -> System.out.println("balance now " + saved.getState().balance()))
                .join();

            // A business rule failure is the future's cause, unwrapped and typed.
            try {
                accounts.update(id, RetryPolicy.NONE, state -> withdraw(state, 1_000)).join();
            } catch (CompletionException e) {
                System.out.println("refused: " + e.getCause().getMessage());
            }

            // Optimistic concurrency on the raw event store: a stale expected version is a typed conflict.
            WritableEvent note = WritableEvent.of("noted", "{}".getBytes(StandardCharsets.UTF_8));
            eventStore.appendStream(id, List.of(note), ExpectedVersion.exact(1))
                .exceptionally(failure -> {
                    // the facade's own future fails with the typed exception itself; dependent stages wrap it
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof StreamVersionConflictException conflict) {
                        System.out.println("conflict: expected " + conflict.getExpected() + ", stream at " + conflict.getActual());
                    }
                    return null;
                })
                .join();

            // Time travel: the account as it was at version 2.
            System.out.println("at version 2: " + accounts.load(id, 2).join().getState());
            System.out.println("now: " + accounts.load(id).join().getState());

            // Read the stream as a Flow.Publisher (back-pressured, paged) ...
            CompletableFuture<Void> printed = new CompletableFuture<>();
            eventStore.readStream(id).subscribe(new Flow.Subscriber<Event>() {
                @Override public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }
                @Override public void onNext(Event event) {
                    System.out.println("  " + event.getStreamVersion() + " " + event.getType() + " "
                        + new String(event.getData(), StandardCharsets.UTF_8) + " " + event.getMetadata());
                }
                @Override public void onError(Throwable error) { printed.completeExceptionally(error); }
                @Override public void onComplete() { printed.complete(null); }
            });
            printed.join();
            // ... or, for a small stream, as a list.
            System.out.println(eventStore.readStreamList(id).join().size() + " events stored");

            // The read model catches up with the log (read-your-writes on the last position), then stops gracefully.
            List<Event> stored = eventStore.readStreamList(id).join();
            projector.awaitPosition(stored.get(stored.size() - 1).getGlobalPosition()).join();
            projector.stop().join();
            System.out.println("read model " + balancesProjection.getCheckpointName() + ": " + id + " balance " + balances.get(id));
        } finally {
            executor.shutdown();
        }
    }
}
