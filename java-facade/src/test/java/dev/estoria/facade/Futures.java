package dev.estoria.facade;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on futures. */
final class Futures {
    private Futures() {}

    static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed", e);
        }
    }

    /** Asserts that [future] fails and that its cause — what ExecutionException carries — is a [type] itself. */
    static <E extends Throwable> E failure(CompletableFuture<?> future, Class<E> type) {
        try {
            Object value = future.get(10, TimeUnit.SECONDS);
            return fail("expected " + type.getSimpleName() + " but the future completed with " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause(), "cause of the failed future");
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }
}
