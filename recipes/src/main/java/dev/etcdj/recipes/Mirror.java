package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a prefix from one cluster to another, then follows it live: Go's {@code mirror.Syncer}
 * plus what {@code etcdctl make-mirror} does with it. The base copy reads the source prefix at one
 * revision R in pages of 1,000 keys (key order) and puts each key at the destination; then a watch
 * from R+1 replays every later revision as one destination txn (puts and deletes of that revision
 * together). Keys are moved from {@code prefix} to {@code destPrefix} (by default the same).
 *
 * <pre>{@code
 * try (Mirror m = Mirror.builder(source, destination).prefix("app/").build()) {
 *     m.start().join();                  // base copied, following
 *     long resumeAt = m.lastRevision();  // keep it: Mirror.builder(..).resumeAfter(resumeAt)
 * }
 * }</pre>
 *
 * {@link #done()} fails with the client's {@code CompactedException} when the source compacted a
 * revision the mirror still needed (it was behind for too long), or with the destination's error;
 * it completes normally on {@link #close()}.
 */
public final class Mirror implements AutoCloseable {
    static final int PAGE = 1000;

    private final EtcdClient source;
    private final EtcdClient destination;
    private final Bytes prefix;
    private final Bytes destPrefix;
    private final long baseRevision;
    private final boolean skipBase;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong lastRevision = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Watcher watcher;
    private volatile boolean closed;

    private Mirror(Builder b) {
        this.source = b.source;
        this.destination = b.destination;
        this.prefix = b.prefix;
        this.destPrefix = b.destPrefix == null ? b.prefix : b.destPrefix;
        this.baseRevision = b.revision;
        this.skipBase = b.skipBase;
    }

    public static Builder builder(EtcdClient source, EtcdClient destination) {
        return new Builder(source, destination);
    }

    /**
     * Copies the base (unless resuming) and starts following; completes once the watch is set up,
     * with this mirror. Fails like {@link #done()} if the base copy fails.
     */
    public CompletableFuture<Mirror> start() {
        CompletableFuture<Long> base = skipBase ? CompletableFuture.completedFuture(baseRevision) : copyBase();
        return base.thenApply(rev -> {
            lastRevision.set(rev);
            follow(rev);
            return this;
        }).whenComplete((m, t) -> {
            if (t != null) {
                done.completeExceptionally(unwrap(t));
            }
        });
    }

    private CompletableFuture<Long> copyBase() {
        Bytes end = prefix.isEmpty() ? Bytes.ZERO : prefix.prefixEnd();
        Bytes first = prefix.isEmpty() ? Bytes.ZERO : prefix;
        return page(first, end, baseRevision);
    }

    /** One page at the base revision (the first page fixes it when none was given), then the next. */
    private CompletableFuture<Long> page(Bytes from, Bytes end, long rev) {
        List<dev.etcdj.client.GetOption> opts = new ArrayList<>(List.of(Options.range(end), Options.limit(PAGE),
                Options.sort(SortTarget.KEY, SortOrder.ASCEND)));
        if (rev > 0) {
            opts.add(Options.revision(rev));
        }
        return source.kv().get(from, opts.toArray(dev.etcdj.client.GetOption[]::new)).thenCompose(r -> {
            long at = rev > 0 ? rev : r.header().revision();
            return putAll(r).thenCompose(x -> {
                if (!r.more() || r.kvs().isEmpty() || closed) {
                    return CompletableFuture.completedFuture(at);
                }
                Bytes next = r.kvs().get(r.kvs().size() - 1).key().concat(Bytes.ZERO);
                return page(next, end, at);
            });
        });
    }

    private CompletableFuture<Void> putAll(GetResponse r) {
        CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
        for (KeyValue kv : r.kvs()) {
            f = f.thenCompose(x -> destination.kv().put(destKey(kv.key()), kv.value())).thenRun(total::incrementAndGet);
        }
        return f;
    }

    private Bytes destKey(Bytes key) {
        return destPrefix.concat(key.substring(prefix.size()));
    }

    private void follow(long rev) {
        Bytes end = prefix.isEmpty() ? Bytes.ZERO : prefix.prefixEnd();
        WatchSpec spec = new WatchSpec(prefix.isEmpty() ? Bytes.ZERO : prefix, end, rev + 1, false, false, false,
                false, false);
        watcher = source.watch().watch(spec, new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                try {
                    apply(response);
                } catch (CompletionException | EtcdException e) {
                    done.completeExceptionally(unwrap(e));
                    close();
                }
            }

            @Override
            public void onError(EtcdException error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onClosed() {
                done.complete(null);
            }
        });
        if (closed) {
            watcher.close();
        }
    }

    /** Replays a watch response: one destination txn per source revision, in order. */
    private void apply(WatchResponse response) {
        List<Op> ops = new ArrayList<>();
        long rev = 0;
        for (WatchEvent ev : response.events()) {
            long next = ev.kv().modRevision();
            if (rev != 0 && next > rev) {
                commit(ops, rev);
                ops = new ArrayList<>();
            }
            rev = next;
            Bytes key = destKey(ev.kv().key());
            ops.add(ev.type() == WatchEvent.Type.PUT ? Op.put(key, ev.kv().value()) : Op.delete(key));
            total.incrementAndGet();
        }
        if (!ops.isEmpty()) {
            commit(ops, rev);
        }
    }

    private void commit(List<Op> ops, long rev) {
        destination.kv().commit(Op.txn().then(ops.toArray(Op[]::new))).join();
        lastRevision.set(rev);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Keys and events copied so far (what etcdctl make-mirror prints every 30 s). */
    public long total() {
        return total.get();
    }

    /** The newest source revision fully copied: resume with {@link Builder#resumeAfter}. */
    public long lastRevision() {
        return lastRevision.get();
    }

    /** Completes when closed; fails when mirroring cannot go on. */
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() {
        closed = true;
        Waits.close(watcher);
        done.complete(null);
    }

    public static final class Builder {
        private final EtcdClient source;
        private final EtcdClient destination;
        private Bytes prefix = Bytes.EMPTY;
        private Bytes destPrefix;
        private long revision;
        private boolean skipBase;

        private Builder(EtcdClient source, EtcdClient destination) {
            this.source = Objects.requireNonNull(source);
            this.destination = Objects.requireNonNull(destination);
        }

        /** The source keys to mirror; empty (the default) = every key. */
        public Builder prefix(String prefix) {
            this.prefix = Bytes.of(prefix);
            return this;
        }

        /** Where they go at the destination; by default the same prefix (empty = the root). */
        public Builder destPrefix(String destPrefix) {
            this.destPrefix = Bytes.of(destPrefix);
            return this;
        }

        /** Copies the base as of this source revision (0, the default, = the current one). */
        public Builder fromRevision(long revision) {
            if (revision < 0) {
                throw new IllegalArgumentException("revision must be >= 0");
            }
            this.revision = revision;
            this.skipBase = false;
            return this;
        }

        /** Skips the base copy: replays every change after this source revision (a previous {@link #lastRevision}). */
        public Builder resumeAfter(long revision) {
            if (revision <= 0) {
                throw new IllegalArgumentException("revision must be > 0");
            }
            this.revision = revision;
            this.skipBase = true;
            return this;
        }

        public Mirror build() {
            return new Mirror(this);
        }
    }
}
