package dev.estoria.facade;

import dev.estoria.aggregatestore.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java callers jitter RetryPolicy's back-off with a java.util.random.RandomGenerator. */
class RetryPolicyFromJavaTest {
    @Test
    void delaysFromAJavaRandomGeneratorStayWithinTheJitterBounds() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(40));
        SplittableRandom random = new SplittableRandom(7);
        long[] caps = {10, 10, 20, 40, 40};
        for (int attempt = 1; attempt <= 5; attempt++) {
            long cap = caps[attempt - 1];
            for (int i = 0; i < 200; i++) {
                long delay = policy.delayMillisBefore(attempt, random);
                assertTrue(delay >= cap / 2 && delay <= cap, "attempt " + attempt + ": " + delay + " not in [" + cap / 2 + ", " + cap + "]");
            }
            long byDefault = policy.delayMillisBefore(attempt);
            assertTrue(byDefault >= cap / 2 && byDefault <= cap, "attempt " + attempt + " (default random): " + byDefault);
        }
    }
}
