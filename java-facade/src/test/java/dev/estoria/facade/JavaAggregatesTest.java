package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.aggregate.AggregateDefinition;
import dev.estoria.aggregatestore.EventSourcedAggregateStore;
import dev.estoria.aggregatestore.RetryPolicy;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.error.AggregateNotFoundException;
import dev.estoria.error.InvalidInputException;
import dev.estoria.error.StreamVersionConflictException;
import dev.estoria.error.UnknownEventTypeException;
import dev.estoria.event.Event;
import dev.estoria.event.WritableEvent;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.facade.Bank.Account;
import dev.estoria.facade.Bank.Deposited;
import dev.estoria.facade.Bank.InsufficientFunds;
import dev.estoria.facade.Bank.Opened;
import dev.estoria.facade.Bank.Withdrawn;
import dev.estoria.id.TypeId;
import dev.estoria.java.JacksonCodec;
import dev.estoria.java.JavaAggregates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.estoria.facade.Bank.ACCOUNT;
import static dev.estoria.facade.Futures.failure;
import static dev.estoria.facade.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Aggregates defined with the Java builder over records, driven through AsyncAggregateStore. */
class JavaAggregatesTest {
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final AsyncAggregateStore<Account> accounts = AsyncAggregateStore.from(new EventSourcedAggregateStore<>(events, ACCOUNT));
    /** Another writer, on its own thread, so a decide function can block on it without starving the first. */
    private final java.util.concurrent.ExecutorService otherThread = java.util.concurrent.Executors.newSingleThreadExecutor();
    private final AsyncAggregateStore<Account> otherWriter =
        AsyncAggregateStore.from(new EventSourcedAggregateStore<>(events, ACCOUNT), otherThread);

    @AfterEach
    void close() {
        accounts.close();
        otherWriter.close();
        otherThread.shutdown();
    }

    private TypeId opened(String owner, long deposit) {
        Aggregate<Account> account = accounts.create();
        account.append(new Opened(owner), new Deposited(deposit));
        get(accounts.save(account));
        return account.getId();
    }

    @Test
    void theDefinitionRegistersRecordsWithJsonCodecs() {
        assertEquals("account", ACCOUNT.getType());
        assertNotNull(ACCOUNT.getStateCodec(), "the state codec defaults to Jackson");
        assertEquals("application/json", ACCOUNT.getEvents().byName("deposited").getCodec().getContentType());
        assertEquals(Deposited.class, ACCOUNT.getEvents().byName("deposited").getEventClass());
    }

    @Test
    void aSavedAggregateLoadsWithTheSameStateAndVersion() {
        Aggregate<Account> account = accounts.create();
        assertEquals(0L, account.getVersion());
        account.append(new Opened("ada"), new Deposited(100));
        assertEquals(new Account(account.getId().toString(), "ada", 100), account.getState());
        get(accounts.save(account));
        assertEquals(2L, account.getVersion());
        assertFalse(account.getHasPendingEvents());

        Aggregate<Account> loaded = get(accounts.load(account.getId()));
        assertEquals(account.getState(), loaded.getState());
        assertEquals(2L, loaded.getVersion());
    }

    @Test
    void eventsAreStoredAsJsonUnderTheirNames() {
        TypeId id = opened("ada", 5);
        List<Event> stored = Subscribers.await(AsyncEventStore.from(events).readStream(id));
        assertEquals(List.of("opened", "deposited"), stored.stream().map(Event::getType).toList());
        assertEquals("{\"owner\":\"ada\"}", new String(stored.get(0).getData(), StandardCharsets.UTF_8));
        assertEquals("{\"amount\":5}", new String(stored.get(1).getData(), StandardCharsets.UTF_8));
    }

    @Test
    void loadAtAVersionAndHydrateForward() {
        TypeId id = opened("ada", 10);
        get(accounts.update(id, s -> List.of(new Deposited(5))));
        Aggregate<Account> old = get(accounts.load(id, 2));
        assertEquals(10L, old.getState().balance());
        get(accounts.hydrate(old, 3));
        assertEquals(15L, old.getState().balance());
        get(accounts.hydrate(old));
        assertEquals(3L, old.getVersion());
    }

    @Test
    void loadingAnUnknownAggregateFailsWithAggregateNotFound() {
        TypeId id = ACCOUNT.newId();
        AggregateNotFoundException notFound = failure(accounts.load(id), AggregateNotFoundException.class);
        assertEquals(id, notFound.getAggregateId());
    }

    @Test
    void createRefusesAnIdOfAnotherType() {
        assertThrows(InvalidInputException.class, () -> accounts.create(TypeId.create("order")));
        assertEquals("account", accounts.create(TypeId.create("account")).getType());
    }

    @Test
    void concurrentSavesConflictAndTheLoserWritesNothing() {
        TypeId id = opened("ada", 10);
        Aggregate<Account> first = get(accounts.load(id));
        Aggregate<Account> second = get(accounts.load(id));
        first.append(new Deposited(1));
        second.append(new Deposited(2));
        get(accounts.save(first));
        StreamVersionConflictException conflict = failure(accounts.save(second), StreamVersionConflictException.class);
        assertEquals(id, conflict.getStreamId());
        assertEquals(11L, get(accounts.load(id)).getState().balance());
    }

    @Test
    void updateAppliesTheDecidedEventsAndCompletesWithTheSavedAggregate() {
        TypeId id = opened("ada", 10);
        Aggregate<Account> updated = get(accounts.update(id, account -> Bank.withdraw(account, 4)));
        assertEquals(6L, updated.getState().balance());
        assertEquals(3L, updated.getVersion());
        Aggregate<Account> unchanged = get(accounts.update(id, account -> List.of()));
        assertEquals(3L, unchanged.getVersion(), "an empty decision saves nothing");
    }

    @Test
    void updateRetriesOnAConflictAndDecidesAgainOnTheNewState() {
        TypeId id = opened("ada", 10);
        AtomicInteger attempts = new AtomicInteger();
        List<Long> seenBalances = new ArrayList<>();
        Aggregate<Account> result = get(accounts.update(id, new RetryPolicy(3, Duration.ZERO, Duration.ZERO), account -> {
            seenBalances.add(account.balance());
            if (attempts.incrementAndGet() == 1) {
                // another writer gets in between this load and the save
                get(otherWriter.update(id, RetryPolicy.NONE, other -> List.of(new Deposited(100))));
            }
            return List.of(new Withdrawn(5));
        }));
        assertEquals(2, attempts.get());
        assertEquals(List.of(10L, 110L), seenBalances);
        assertEquals(105L, result.getState().balance());
    }

    @Test
    void updateGivesUpAfterTheLastAttemptWithTheConflictAsCause() {
        TypeId id = opened("ada", 10);
        failure(accounts.update(id, RetryPolicy.NONE, account -> {
            get(otherWriter.update(id, RetryPolicy.NONE, other -> List.of(new Deposited(1))));
            return List.of(new Deposited(2));
        }), StreamVersionConflictException.class);
    }

    @Test
    void aBusinessRuleFailureIsTheCauseAndIsNotRetried() {
        TypeId id = opened("ada", 10);
        AtomicInteger attempts = new AtomicInteger();
        failure(accounts.update(id, account -> {
            attempts.incrementAndGet();
            return Bank.withdraw(account, 1_000);
        }), InsufficientFunds.class);
        assertEquals(1, attempts.get());
    }

    @Test
    void aNullDecisionOrNullEventIsInvalidInput() {
        TypeId id = opened("ada", 10);
        failure(accounts.update(id, account -> null), InvalidInputException.class);
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        failure(accounts.update(id, account -> withNull), InvalidInputException.class);
        assertEquals(2L, get(accounts.load(id)).getVersion());
    }

    @Test
    void upsertCreatesThenUpdates() {
        TypeId id = ACCOUNT.newId();
        Aggregate<Account> created = get(accounts.upsert(id, account -> List.of(new Opened("grace"))));
        assertEquals(1L, created.getVersion());
        Aggregate<Account> updated = get(accounts.upsert(id, account -> List.of(new Deposited(3))));
        assertEquals(new Account(id.toString(), "grace", 3), updated.getState());
    }

    @Test
    void manyConcurrentUpdatesAllLand() {
        TypeId id = opened("ada", 0);
        RetryPolicy patient = new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(5));
        List<CompletableFuture<Aggregate<Account>>> updates = new ArrayList<>();
        for (int i = 0; i < 20; i++) updates.add(accounts.update(id, patient, account -> List.of(new Deposited(1))));
        CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).join();
        assertEquals(20L, get(accounts.load(id)).getState().balance());
    }

    @Test
    void anUnregisteredEventClassIsRefusedBeforeAnythingIsApplied() {
        Aggregate<Account> account = accounts.create();
        assertThrows(InvalidInputException.class, () -> account.append("not an event"));
        assertFalse(account.getHasPendingEvents());
    }

    @Test
    void anUnknownStoredEventTypeFailsTheLoad() {
        TypeId id = opened("ada", 1);
        get(AsyncEventStore.from(events).appendStream(id, List.of(WritableEvent.of("frozen", "{}".getBytes(StandardCharsets.UTF_8)))));
        failure(accounts.load(id), UnknownEventTypeException.class);
    }

    @Test
    void theBuilderRefusesIncompleteDefinitions() {
        assertThrows(InvalidInputException.class, () -> JavaAggregates.define("account", Account.class)
            .on(Deposited.class, "deposited", (s, e) -> s).build(), "no initial state");
        assertThrows(InvalidInputException.class, () -> JavaAggregates.define("account", Account.class)
            .initial(id -> new Account(id.toString(), "", 0)).build(), "no event");
        assertThrows(InvalidInputException.class, () -> JavaAggregates.define("account", Account.class)
            .initial(id -> new Account(id.toString(), "", 0))
            .on(Deposited.class, "deposited", (s, e) -> s)
            .on(Withdrawn.class, "deposited", (s, e) -> s).build(), "a name registered twice");
        assertThrows(InvalidInputException.class, () -> JavaAggregates.define("Not A Type", Account.class)
            .initial(id -> new Account(id.toString(), "", 0))
            .on(Deposited.class, "deposited", (s, e) -> s).build(), "an invalid type name");
    }

    @Test
    void explicitCodecsAndNoStateCodec() {
        JacksonCodec<Deposited> codec = JacksonCodec.of(Deposited.class);
        AggregateDefinition<Account> definition = JavaAggregates.define("account", Account.class)
            .initial(id -> new Account(id.toString(), "", 0))
            .on(Deposited.class, "deposited", codec, (s, e) -> s.deposit(e.amount()))
            .stateCodec(null)
            .build();
        assertSame(codec, definition.getEvents().byName("deposited").getCodec());
        assertEquals(null, definition.getStateCodec());
    }
}
