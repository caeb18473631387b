package dev.estoria.facade;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Minimal Flow subscribers for the tests (no reactive library on purpose: plain JDK). */
final class Subscribers {
    private Subscribers() {}

    /** Collects every item; the future fails with the publisher's error itself. */
    static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> publisher) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<T>() {
            private final List<T> items = new ArrayList<>();

            @Override public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }
            @Override public void onNext(T item) { items.add(item); }
            @Override public void onError(Throwable error) { result.completeExceptionally(error); }
            @Override public void onComplete() { result.complete(List.copyOf(items)); }
        });
        return result;
    }

    static <T> List<T> await(Flow.Publisher<T> publisher) {
        try {
            return collect(publisher).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Requests one item at a time and remembers the subscription, so a test can cancel it. */
    static final class OneByOne<T> implements Flow.Subscriber<T> {
        final List<T> items = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        @Override public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }
        @Override public void onNext(T item) {
            items.add(item);
            subscription.request(1);
        }
        @Override public void onError(Throwable error) { done.completeExceptionally(error); }
        @Override public void onComplete() { done.complete(null); }
    }
}
