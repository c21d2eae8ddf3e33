package dev.etcdj.server.internal;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.server.internal.mvcc.MvccStore;

/** Builds etcd's response header: this member's ids, a revision and the (fixed) raft term. */
public record Headers(long clusterId, long memberId, MvccStore store) {
    /** What a fresh single-member etcd reports; there is no election here to bump it. */
    public static final long RAFT_TERM = 2;

    public ResponseHeader at(long revision) {
        return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId)
                .setRevision(revision).setRaftTerm(RAFT_TERM).build();
    }

    /** A header at the store's current (published) revision. */
    public ResponseHeader current() {
        return at(store.currentRevision());
    }

    /** Fills ids and term into a header that carries only the revision. */
    public ResponseHeader fill(ResponseHeader h) {
        return at(h.getRevision());
    }
}
