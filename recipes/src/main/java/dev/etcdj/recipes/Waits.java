package dev.etcdj.recipes;

import static dev.etcdj.client.Options.lastCreate;
import static dev.etcdj.client.Options.maxCreateRevision;
import static dev.etcdj.client.Options.revision;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Options;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Waiting for keys to go away or appear: the queueing steps shared by the locks, elections, barriers and queues. */
final class Waits {

    private Waits() {}

    /**
     * Completes once every key under {@code prefix} created at or before {@code maxCreateRevision}
     * is gone, with the header of the read that found none. Like Go's waitDeletes, it watches only
     * the newest such key (the one queued just before us), so a release wakes one waiter, not all.
     * Completing {@code stop} (for example by cancelling it) abandons the wait and its watch.
     */
    static CompletableFuture<ResponseHeader> waitDeletes(EtcdClient client, Bytes prefix, long maxCreateRevision,
                                                         CompletableFuture<?> stop) {
        CompletableFuture<ResponseHeader> result = new CompletableFuture<>();
        stop.whenComplete((v, e) -> result.cancel(false));
        next(client, prefix, maxCreateRevision, result);
        return result;
    }

    private static void next(EtcdClient client, Bytes prefix, long maxCreateRevision,
                             CompletableFuture<ResponseHeader> result) {
        if (result.isDone()) {
            return;
        }
        client.kv().get(prefix, lastCreate(), maxCreateRevision(maxCreateRevision)).whenComplete((resp, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
            } else if (resp.kvs().isEmpty()) {
                result.complete(resp.header());
            } else {
                waitDelete(client, resp.kvs().get(0).key(), resp.header().revision(), result)
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                result.completeExceptionally(unwrap(e));
                            } else {
                                next(client, prefix, maxCreateRevision, result);
                            }
                        });
            }
        });
    }

    /**
     * Completes when {@code key} is deleted at or after {@code fromRevision} (a revision at which it
     * existed). Completing {@code stop} closes the watch.
     */
    static CompletableFuture<Void> waitDelete(EtcdClient client, Bytes key, long fromRevision,
                                              CompletableFuture<?> stop) {
        return waitEvent(client, key, false, fromRevision, WatchEvent.Type.DELETE, stop).thenApply(e -> null);
    }

    /**
     * Completes with the first event of this type on {@code key} (or, with {@code prefix}, on any key
     * under it) at or after {@code fromRevision}: Go's recipe {@code WaitEvents}/{@code WaitPrefixEvents}
     * for one event type. Completing {@code stop} closes the watch.
     */
    static CompletableFuture<WatchEvent> waitEvent(EtcdClient client, Bytes key, boolean prefix, long fromRevision,
                                                   WatchEvent.Type type, CompletableFuture<?> stop) {
        CompletableFuture<WatchEvent> seen = new CompletableFuture<>();
        WatchListener listener = new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                for (WatchEvent event : response.events()) {
                    if (event.type() == type) {
                        seen.complete(event);
                        return;
                    }
                }
            }

            @Override
            public void onError(EtcdException error) {
                seen.completeExceptionally(error);
            }

            @Override
            public void onClosed() {
                seen.completeExceptionally(new ClientClosedException());
            }
        };
        Watcher watcher = prefix
                ? client.watch().watch(key, listener, revision(fromRevision), Options.prefix())
                : client.watch().watch(key, listener, revision(fromRevision));
        seen.whenComplete((v, e) -> watcher.close());
        stop.whenComplete((v, e) -> seen.cancel(false));
        return seen;
    }

    /**
     * Once {@code result} fails (cancelled, the session ended, an error), runs {@code undo} if and
     * when {@code step} (the write that must be taken back) succeeds.
     */
    static void undoOnFailure(CompletableFuture<?> result, CompletableFuture<?> step, Runnable undo) {
        result.whenComplete((v, e) -> {
            if (e != null) {
                step.whenComplete((r, x) -> {
                    if (x == null) {
                        undo.run();
                    }
                });
            }
        });
    }

    /**
     * Runs {@code step} until it answers true, then completes {@code result}; a step that fails
     * fails {@code result}. Each run starts once the one before has ended; none starts once
     * {@code result} is done (cancelled, or failed with the session).
     */
    static void repeatUntil(Supplier<CompletableFuture<Boolean>> step, CompletableFuture<Void> result) {
        if (result.isDone()) {
            return;
        }
        step.get().whenComplete((done, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
            } else if (done) {
                result.complete(null);
            } else {
                repeatUntil(step, result);
            }
        });
    }

    /** Closes a watch that may not have started yet (null). */
    static void close(Watcher watcher) {
        if (watcher != null) {
            watcher.close();
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Go's {@code fmt.Sprintf("%x", leaseID)}: lower-case hex, signed. */
    static String hex(long id) {
        return id < 0 ? "-" + Long.toHexString(-id) : Long.toHexString(id);
    }
}
