package dev.etcdj.client.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A call's future whose result, read on a network thread, is finished off the network thread: by
 * a thread blocked in {@link #join}/{@link #get} on it when there is one, else by the callback
 * pool. Such a thread is about to wake up anyway; letting it finish the call itself saves waking
 * a pool thread first, which on a small machine costs tens of microseconds per call (gRPC's
 * blocking stubs wait the same way). Stages run where the call is finished, so never on a network
 * thread: a waiter is a user's thread (one on a network thread is refused by {@link ClientFuture}).
 *
 * <p>One waiter at a time takes part; others wait as on any future. A waiter that stops waiting
 * (its time ran out, it was interrupted) first runs what was already handed to it, so nothing is
 * lost; what comes later goes to the pool. Any completion, however made, wakes the waiter.
 */
abstract class HandOverFuture<T> extends ClientFuture<T> {

    /** Null (no waiter), the waiting {@link Thread}, or a {@link Handed} task it has not taken yet. */
    private final AtomicReference<Object> waiter = new AtomicReference<>();

    /** A task handed to the waiter (a box of its own: a Thread is a Runnable too). */
    private record Handed(Runnable task) {}

    /**
     * Has {@code task} (the end of an attempt: it completes this future or starts the next one)
     * run by the thread waiting on this future, else on {@code pool}.
     */
    final void handOver(Runnable task, Executor pool) {
        for (;;) {
            Object w = waiter.get();
            if (w instanceof Thread t) {
                if (waiter.compareAndSet(w, new Handed(task))) {
                    LockSupport.unpark(t);
                    return;
                }
            } else {
                // No waiter (or, only from a misuse, a task not yet taken): the pool finishes it.
                pool.execute(task);
                return;
            }
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            helpUntilDone(false, 0);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!isDone()) {
            helpUntilDone(true, deadline);
        }
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public T join() {
        if (!isDone()) {
            helpUntilDone(false, 0);
        }
        return super.join();
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        wakeWaiter();
        return cancelled;
    }

    private void wakeWaiter() {
        if (waiter.get() instanceof Thread t) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits as this future's waiter, running what is handed over, until it is done, the deadline
     * passes (when {@code timed}) or the thread is interrupted; then leaves the
     * rest of the waiting to the caller's {@code super} method, which reports each of those cases
     * as a future does. Returns at once when another thread is the waiter.
     */
    private void helpUntilDone(boolean timed, long deadlineNanos) {
        refuseOnNetworkThread();
        Thread me = Thread.currentThread();
        if (!waiter.compareAndSet(null, me)) {
            return;
        }
        try {
            while (!isDone() && !me.isInterrupted()) {
                if (runHandedTask(me)) {
                    continue;
                }
                if (!timed) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            // Leave, but first run a task handed over meanwhile: it was given to us alone.
            while (!waiter.compareAndSet(me, null)) {
                runHandedTask(me);
            }
        }
    }

    /** Runs the task handed to {@code me}, if any; whether there was one. */
    private boolean runHandedTask(Thread me) {
        Object w = waiter.get();
        if (w instanceof Handed handed && waiter.compareAndSet(w, me)) {
            try {
                handed.task().run();
            } catch (RuntimeException | Error e) {
                // A bug in the call's own code, not the caller's: end the call with it rather
                // than throw it from a wait for something else.
                completeExceptionally(e);
            }
            return true;
        }
        return false;
    }
}
