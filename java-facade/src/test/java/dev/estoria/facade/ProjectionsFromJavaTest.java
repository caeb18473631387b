package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.java.AggregateStack;
import dev.estoria.async.AsyncProjectionProcessor;
import dev.estoria.error.ProjectionFailedException;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.id.TypeId;
import dev.estoria.java.JavaProjections;
import dev.estoria.projection.Projection;
import dev.estoria.projection.ProjectionOptions;
import dev.estoria.projection.memory.InMemoryCheckpointStore;
import dev.estoria.projection.memory.InMemoryLeaseStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Projections from Java: a builder with Java lambdas, a processor started and stopped with futures. */
class ProjectionsFromJavaTest {
    @Test
    void aJavaProjectionKeepsBalancesAndStopsGracefully() throws Exception {
        InMemoryEventStore events = new InMemoryEventStore();
        Map<TypeId, Long> balances = new ConcurrentHashMap<>();
        List<String> types = new CopyOnWriteArrayList<>();
        Projection projection = JavaProjections.define("balances").version(2)
            .on(Bank.ACCOUNT, Bank.Deposited.class, (e, env) -> balances.merge(env.getStreamId(), e.amount(), Long::sum))
            .on(Bank.ACCOUNT, Bank.Withdrawn.class, (e, env) -> balances.merge(env.getStreamId(), -e.amount(), Long::sum))
            .onAny((event, env) -> types.add(event.getType()))
            .build();
        InMemoryLeaseStore leases = new InMemoryLeaseStore();
        ProjectionOptions options = ProjectionOptions.builder()
            .leases(leases, Duration.ofSeconds(30))
            .idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .build();
        try (AsyncAggregateStore<Bank.Account> accounts = AggregateStack.builder(events, Bank.ACCOUNT).build();
             AsyncProjectionProcessor processor = AsyncProjectionProcessor.builder(projection, events, leases.getCheckpoints()).options(options).build()) {
            processor.start();
            Aggregate<Bank.Account> account = accounts.create();
            account.append(new Bank.Opened("ada"), new Bank.Deposited(100), new Bank.Withdrawn(30));
            accounts.save(account).get(30, TimeUnit.SECONDS);
            // a fresh in-memory store numbers its positions from 1: the third event is at 3
            processor.awaitPosition(3).get(30, TimeUnit.SECONDS);
            assertEquals(70L, balances.get(account.getId()));
            assertEquals(List.of("opened", "deposited", "withdrawn"), types);
            assertEquals("balances.v2", projection.getCheckpointName());
            processor.stop().get(30, TimeUnit.SECONDS);
            processor.completion().get(30, TimeUnit.SECONDS);
            assertEquals(3L, processor.position());
            assertTrue(processor.isCaughtUp());
        }
    }

    @Test
    void aFailingJavaHandlerFailsTheCompletionFuture() throws Exception {
        InMemoryEventStore events = new InMemoryEventStore();
        Projection projection = JavaProjections.define("failing")
            .onAny((event, env) -> { throw new IllegalStateException("no"); })
            .build();
        try (AsyncAggregateStore<Bank.Account> accounts = AggregateStack.builder(events, Bank.ACCOUNT).build();
             AsyncProjectionProcessor processor = AsyncProjectionProcessor.builder(projection, events, new InMemoryCheckpointStore()).build()) {
            processor.start();
            Aggregate<Bank.Account> account = accounts.create();
            account.append(new Bank.Opened("ada"));
            accounts.save(account).get(30, TimeUnit.SECONDS);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> processor.completion().get(30, TimeUnit.SECONDS));
            assertInstanceOf(ProjectionFailedException.class, failed.getCause());
        }
    }
}
