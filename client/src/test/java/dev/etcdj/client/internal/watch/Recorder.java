package dev.etcdj.client.internal.watch;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A listener that records everything it hears, checks it is called serially, and can be awaited. */
public final class Recorder implements WatchListener {

    private final List<WatchResponse> responses = new ArrayList<>();
    public final CompletableFuture<EtcdException> error = new CompletableFuture<>();
    public final CompletableFuture<Void> closed = new CompletableFuture<>();
    private int terminals;
    private boolean inCallback;
    private boolean overlapped;

    @Override
    public void onNext(WatchResponse response) {
        enter();
        synchronized (this) {
            if (terminals > 0) {
                overlapped = true;      // nothing may follow a terminal event
            }
            responses.add(response);
            notifyAll();
        }
        exit();
    }

    @Override
    public void onError(EtcdException e) {
        enter();
        synchronized (this) {
            terminals++;
            notifyAll();
        }
        error.complete(e);
        exit();
    }

    @Override
    public void onClosed() {
        enter();
        synchronized (this) {
            terminals++;
            notifyAll();
        }
        closed.complete(null);
        exit();
    }

    private synchronized void enter() {
        if (inCallback) {
            overlapped = true;
        }
        inCallback = true;
    }

    private synchronized void exit() {
        inCallback = false;
    }

    public synchronized List<WatchResponse> responses() {
        return new ArrayList<>(responses);
    }

    public synchronized List<WatchEvent> events() {
        List<WatchEvent> all = new ArrayList<>();
        responses.forEach(r -> all.addAll(r.events()));
        return all;
    }

    public List<Long> revisions() {
        return events().stream().map(e -> e.kv().modRevision()).toList();
    }

    public synchronized int terminals() {
        return terminals;
    }

    /** True if callbacks ever overlapped or a response followed a terminal event. */
    public synchronized boolean misbehaved() {
        return overlapped;
    }

    public void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("condition not met in " + timeout + "; got " + revisions().size()
                            + " events, last revisions " + tail());
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    private List<Long> tail() {
        List<Long> r = revisions();
        return r.subList(Math.max(0, r.size() - 5), r.size());
    }

    public void awaitEvents(int n, Duration timeout) throws InterruptedException {
        await(() -> events().size() >= n, timeout);
    }
}
