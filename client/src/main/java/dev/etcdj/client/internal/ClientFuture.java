package dev.etcdj.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures the client hands out for unary calls, and every stage chained on them: waiting on
 * one that is not done from one of the client's network threads fails with
 * {@link IllegalStateException} instead of deadlocking (that thread is the one that would complete
 * it). Only possible with {@code completeOnNetworkThreads(true)}, where user stages run there.
 * The check lives in the future, not in {@code Futures.await}, so that it also covers
 * {@code join()} and {@code get()} and the public package needs nothing from this one.
 */
class ClientFuture<T> extends CompletableFuture<T> {

    static final String DEADLOCK_MESSAGE = "etcdj: a blocking call on a network thread would deadlock; "
            + "with completeOnNetworkThreads(true), chain with the *Async methods or use your own executor";

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ClientFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseOnNetworkThread();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseOnNetworkThread();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        refuseOnNetworkThread();
        return super.join();
    }

    final void refuseOnNetworkThread() {
        if (!isDone() && NetworkThreads.isCurrent()) {
            throw new IllegalStateException(DEADLOCK_MESSAGE);
        }
    }
}
