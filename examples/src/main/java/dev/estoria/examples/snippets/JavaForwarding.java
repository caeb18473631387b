package dev.estoria.examples.snippets;

import dev.estoria.async.AsyncForwarder;
import dev.estoria.eventstore.GlobalReader;
import dev.estoria.forwarding.ForwarderOptions;
import dev.estoria.forwarding.HaltedStream;
import dev.estoria.projection.CheckpointStore;
import dev.estoria.projection.EventEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** docs/forwarders.md, from Java: a blocking handler on an executor, futures for the lifecycle. */
public final class JavaForwarding {
    private JavaForwarding() {
    }

    /** Runs a forwarder over [store] until it is stopped; [send] stands for a producer's send of a record. */
    public static void run(GlobalReader store, CheckpointStore checkpoints, Executor executor,
                           Function<EventEnvelope, CompletableFuture<?>> send) throws Exception {
        try (AsyncForwarder forwarder = AsyncForwarder.builder("orders-to-kafka", store, checkpoints,
                envelope -> send.apply(envelope).get())
                .options(ForwarderOptions.builder().retries(5, Duration.ofMillis(100), Duration.ofSeconds(10)).build())
                .executor(executor)
                .build()) {
            forwarder.start();
            List<HaltedStream> halted = forwarder.halted();
            forwarder.release(halted.get(0).getStreamId());
            forwarder.stop().get();
        }
    }
}
