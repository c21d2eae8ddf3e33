package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstCreate;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Leader election with Go's {@code concurrency.Election} semantics. Candidates queue under the
 * prefix with a key {@code <prefix>/<lease id in hex>} on their session's lease, holding their
 * value; the key with the oldest create revision is the leader. The leader can change its value
 * ({@link #proclaim}) and step down ({@link #resign}); when its session ends, the next candidate
 * takes over. Anyone can ask who leads ({@link #leader()}) or follow every change
 * ({@link #observe}).
 * <pre>{@code
 * Election election = new Election(session, "/election/scheduler");
 * election.campaign("node-1").join();      // completes once we lead
 * ...
 * election.resign().join();
 * }</pre>
 * An instance tracks one candidacy at a time.
 */
public final class Election extends SessionKey {

    // The candidacy: set by campaign, cleared by resign or a failed proclaim.
    private volatile boolean candidate;
    private volatile long leaderRevision = -1;
    private volatile ResponseHeader header = ResponseHeader.EMPTY;

    /** An election named by {@code prefix}; its keys live under {@code prefix + "/"}. */
    public Election(Session session, String prefix) {
        super(session, prefix);
    }

    public CompletableFuture<Void> campaign(String value) {
        return campaign(Bytes.of(value));
    }

    /**
     * Enters the election with this value and completes once this session leads. When the session
     * already campaigns here, keeps its place and updates the value. Fails with
     * {@link SessionExpiredException} when the session ends first; cancelling the future resigns.
     */
    public CompletableFuture<Void> campaign(Bytes value) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!session.isAlive()) {
            result.completeExceptionally(new SessionExpiredException());
            return result;
        }
        CompletableFuture<Void> enter = client.kv().txn()
                .when(Cmp.createRevision(myKey).equalTo(0))
                .then(Op.put(myKey, value, lease(session.leaseId())))
                .orElse(Op.get(myKey))
                .commit()
                .thenCompose(resp -> {
                    candidate = true;
                    if (resp.succeeded()) {
                        leaderRevision = resp.header().revision();
                        return CompletableFuture.completedFuture(null);
                    }
                    KeyValue existing = resp.getResponse(0).kvs().get(0);
                    leaderRevision = existing.createRevision();
                    return existing.value().equals(value) ? CompletableFuture.completedFuture(null) : proclaim(value);
                });
        enter.whenComplete((v, err) -> {
            if (err != null) {
                result.completeExceptionally(Waits.unwrap(err));
                return;
            }
            // Our key may have gone with the session while we waited: then we do not lead.
            awaitTurn(leaderRevision, true, result, hdr -> header = hdr, () -> candidate = false);
        });
        session.failOnEnd(result);
        // Giving up (cancel, session end, error) withdraws the candidacy once our put landed.
        Waits.undoOnFailure(result, enter, this::resign);
        return result;
    }

    public CompletableFuture<Void> proclaim(String value) {
        return proclaim(Bytes.of(value));
    }

    /**
     * Sets a new value without losing the place in the election (observers see it). Fails with
     * {@link ElectionNotLeaderException} when this session is not campaigning, or its key is gone.
     */
    public CompletableFuture<Void> proclaim(Bytes value) {
        if (!candidate) {
            return CompletableFuture.failedFuture(new ElectionNotLeaderException());
        }
        return client.kv().txn()
                .when(Cmp.createRevision(myKey).equalTo(leaderRevision))
                .then(Op.put(myKey, value, lease(session.leaseId())))
                .commit()
                .thenApply(resp -> {
                    if (!resp.succeeded()) {
                        candidate = false;
                        throw new ElectionNotLeaderException();
                    }
                    header = resp.header();
                    return null;
                });
    }

    /** Steps down (or leaves the queue): deletes our key if it is still the one we created. */
    public CompletableFuture<Void> resign() {
        if (!candidate) {
            return CompletableFuture.completedFuture(null);
        }
        return client.kv().txn()
                .when(Cmp.createRevision(myKey).equalTo(leaderRevision))
                .then(Op.delete(myKey))
                .commit()
                .thenApply(resp -> {
                    header = resp.header();
                    candidate = false;
                    return null;
                });
    }

    /** The current leader's key-value (its key, value and create revision); empty when nobody leads. */
    public CompletableFuture<Optional<KeyValue>> leader() {
        return client.kv().get(prefix, firstCreate()).thenApply(r -> r.kvs().stream().findFirst());
    }

    /** This session's key under the prefix. */
    public Bytes key() {
        return myKey;
    }

    /** The header of the last response that changed our candidacy. */
    public ResponseHeader header() {
        return header;
    }

    /** A compare that holds only while our candidacy's key is the one we created: for guarded txns. */
    public Cmp isCandidate() {
        return Cmp.createRevision(myKey).equalTo(leaderRevision);
    }

    /**
     * Follows the election: the listener hears the leader now (as soon as there is one), each value
     * it proclaims, and each new leader, in order, one call at a time. The observation goes on until
     * closed; a failure it cannot recover from (the client closed, a compacted revision) ends it with
     * {@link Listener#onError}.
     */
    public Observation observe(Listener listener) {
        return observe(client, prefix, listener);
    }

    /** Follows the election named by {@code prefix} without taking part: no session needed. */
    public static Observation observe(EtcdClient client, String prefix, Listener listener) {
        return observe(Objects.requireNonNull(client, "client"), Bytes.of(prefix + "/"), listener);
    }

    private static Observation observe(EtcdClient client, Bytes keyPrefix, Listener listener) {
        Observation o = new Observation(client, keyPrefix, Objects.requireNonNull(listener, "listener"));
        o.readLeader();
        return o;
    }

    /** The leader of the election named by {@code prefix}, asked without taking part. */
    public static CompletableFuture<Optional<KeyValue>> leader(EtcdClient client, String prefix) {
        return client.kv().get(Bytes.of(prefix + "/"), firstCreate()).thenApply(r -> r.kvs().stream().findFirst());
    }

    /** Hears an {@link Election#observe observation}. */
    public interface Listener {
        /** The leader's key-value: a new leader, or a new value of the same leader. */
        void onLeader(KeyValue leader);

        /** Terminal: the observation could not go on. */
        default void onError(EtcdException error) {}
    }

    /**
     * A running observation. Each step (read the leader, wait for one, follow its key) starts when
     * the previous one ends, so the listener is called by one step at a time, in order.
     */
    public static final class Observation implements AutoCloseable {
        private final EtcdClient client;
        private final Bytes prefix;
        private final Listener listener;
        private volatile boolean closed;
        private volatile Watcher current;

        private Observation(EtcdClient client, Bytes prefix, Listener listener) {
            this.client = client;
            this.prefix = prefix;
            this.listener = listener;
        }

        private void readLeader() {
            if (closed) {
                return;
            }
            client.kv().get(prefix, firstCreate()).whenComplete((resp, err) -> {
                if (closed) {
                    return;
                } else if (err != null) {
                    fail(Waits.unwrap(err));
                } else if (resp.kvs().isEmpty()) {
                    awaitFirstPut(resp.header().revision());
                } else {
                    KeyValue leader = resp.kvs().get(0);
                    listener.onLeader(leader);
                    follow(leader.key(), resp.header().revision() + 1);
                }
            });
        }

        /** Nobody leads: the first key put under the prefix is the new leader. */
        private void awaitFirstPut(long fromRevision) {
            watch(prefix, fromRevision, new Step() {
                @Override
                boolean onEvent(WatchEvent event) {
                    if (event.type() != WatchEvent.Type.PUT) {
                        return false;
                    }
                    listener.onLeader(event.kv());
                    follow(event.kv().key(), event.kv().modRevision() + 1);
                    return true;
                }
            }, true);
        }

        /** Reports the leader's new values until its key is deleted, then looks for the next leader. */
        private void follow(Bytes leaderKey, long fromRevision) {
            watch(leaderKey, fromRevision, new Step() {
                @Override
                boolean onEvent(WatchEvent event) {
                    if (event.type() == WatchEvent.Type.DELETE) {
                        readLeader();
                        return true;
                    }
                    listener.onLeader(event.kv());
                    return false;
                }
            }, false);
        }

        private void watch(Bytes key, long fromRevision, Step step, boolean wholePrefix) {
            if (closed) {
                return;
            }
            WatchListener wl = new WatchListener() {
                @Override
                public void onNext(WatchResponse response) {
                    for (WatchEvent event : response.events()) {
                        if (step.finished || closed) {
                            return;
                        }
                        if (step.onEventFinishing(event)) {
                            return;
                        }
                    }
                }

                @Override
                public void onError(EtcdException error) {
                    if (!step.finished) {
                        fail(error);
                    }
                }

                @Override
                public void onClosed() {
                    if (!step.finished && !closed) {
                        fail(new ClientClosedException());
                    }
                }
            };
            Watcher w = wholePrefix
                    ? client.watch().watch(key, wl, prefix(), revision(fromRevision))
                    : client.watch().watch(key, wl, revision(fromRevision));
            step.watcher = w;
            current = w;
            if (closed || step.finished) {
                w.close();
            }
        }

        private void fail(Throwable error) {
            if (closed) {
                return;
            }
            close();
            listener.onError(error instanceof EtcdException ee
                    ? ee
                    : new EtcdException(EtcdException.Code.UNKNOWN, String.valueOf(error), error));
        }

        /** Stops following the election; the listener hears nothing more. */
        @Override
        public void close() {
            closed = true;
            Waits.close(current);
        }
    }

    /** One watch step of an observation: finishes (and closes its watch) when onEvent says so. */
    private abstract static class Step {
        volatile boolean finished;
        volatile Watcher watcher;

        abstract boolean onEvent(WatchEvent event);

        final boolean onEventFinishing(WatchEvent event) {
            if (!onEvent(event)) {
                return false;
            }
            // Late callbacks of this watch (its onClosed after the close below) are ignored from now on.
            finished = true;
            Waits.close(watcher);
            return true;
        }
    }
}
