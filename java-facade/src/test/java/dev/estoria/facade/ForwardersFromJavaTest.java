package dev.estoria.facade;

import dev.estoria.aggregate.Aggregate;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncForwarder;
import dev.estoria.eventstore.memory.InMemoryEventStore;
import dev.estoria.forwarding.ForwarderOptions;
import dev.estoria.forwarding.HaltedStream;
import dev.estoria.id.TypeId;
import dev.estoria.java.AggregateStack;
import dev.estoria.projection.memory.InMemoryCheckpointStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forwarders from Java: a blocking Java handler, start/stop with futures, a halted stream listed and released. */
class ForwardersFromJavaTest {
    @Test
    void aJavaForwarderHaltsTheFailingStreamAndReleasesIt() throws Exception {
        InMemoryEventStore events = new InMemoryEventStore();
        Map<TypeId, List<Long>> sent = new ConcurrentHashMap<>();
        AtomicBoolean brokerDown = new AtomicBoolean(true);
        CountDownLatch goodDone = new CountDownLatch(2);
        CountDownLatch badDone = new CountDownLatch(2);
        ForwarderOptions options = ForwarderOptions.builder()
            .idleBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .retries(2, Duration.ofMillis(1), Duration.ofMillis(5))
            .build();
        try (AsyncAggregateStore<Bank.Account> accounts = AggregateStack.builder(events, Bank.ACCOUNT).build()) {
            Aggregate<Bank.Account> bad = accounts.create();
            bad.append(new Bank.Opened("bad"), new Bank.Deposited(1));
            accounts.save(bad).get(30, TimeUnit.SECONDS);
            Aggregate<Bank.Account> good = accounts.create();
            good.append(new Bank.Opened("good"), new Bank.Deposited(2));
            accounts.save(good).get(30, TimeUnit.SECONDS);
            try (AsyncForwarder forwarder = AsyncForwarder.builder("to-broker", events, new InMemoryCheckpointStore(), envelope -> {
                    if (envelope.getStreamId().equals(bad.getId()) && brokerDown.get()) throw new java.io.IOException("broker down");
                    sent.computeIfAbsent(envelope.getStreamId(), k -> new CopyOnWriteArrayList<>()).add(envelope.getStreamVersion());
                    (envelope.getStreamId().equals(bad.getId()) ? badDone : goodDone).countDown();
                }).options(options).build()) {
                forwarder.start();
                assertTrue(goodDone.await(30, TimeUnit.SECONDS), "the good stream was delivered");
                // bad was written first: it halted before good was delivered
                HaltedStream halted = forwarder.halted().get(0);
                assertEquals(bad.getId(), halted.getStreamId());
                assertEquals(2, halted.getAttempts());
                assertEquals(1, forwarder.metrics().getHaltedStreams());

                brokerDown.set(false);
                assertTrue(forwarder.release(bad.getId()));
                assertTrue(badDone.await(30, TimeUnit.SECONDS), "the released stream was delivered");
                assertEquals(List.of(1L, 2L), sent.get(bad.getId()));
                assertEquals(List.of(1L, 2L), sent.get(good.getId()));
                forwarder.stop().get(30, TimeUnit.SECONDS);
                forwarder.completion().get(30, TimeUnit.SECONDS);
                assertEquals(4L, forwarder.metrics().getDelivered());
                assertEquals(0, forwarder.lag().get(30, TimeUnit.SECONDS));
            }
        }
    }
}
