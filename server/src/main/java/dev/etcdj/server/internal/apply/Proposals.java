package dev.etcdj.server.internal.apply;

import dev.etcdj.server.internal.storage.Backend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-in for etcd's raft log: every state change that etcd would propose through raft is
 * submitted here, applied on the apply thread, and counted as one applied entry (the raft index
 * and applied index that Status reports, persisted with the change).
 */
public final class Proposals {
    private static final byte[] APPLIED_INDEX = Backend.metaKey("appliedIndex");

    private final Applier applier;
    private final AtomicLong appliedIndex;

    public Proposals(Applier applier, Backend backend) {
        this.applier = applier;
        this.appliedIndex = new AtomicLong(backend.getMetaLong("appliedIndex", 1));
    }

    /** Applies {@code m} durably as one entry; completes once it is committed and published. */
    public <T> CompletableFuture<T> propose(Applier.Mutation<T> m) {
        return applier.submit(ctx -> {
            T r = m.apply(ctx);
            long idx = appliedIndex.incrementAndGet();
            Backend.put(ctx.batch(), APPLIED_INDEX, Backend.longBytes(idx));
            return r;
        });
    }

    public long appliedIndex() {
        return appliedIndex.get();
    }
}
