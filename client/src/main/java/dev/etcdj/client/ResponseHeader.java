package dev.etcdj.client;

/**
 * Every etcd response's header: which cluster and member answered, the store's revision when it
 * answered, and the raft term.
 */
public record ResponseHeader(long clusterId, long memberId, long revision, long raftTerm) {
    public static final ResponseHeader EMPTY = new ResponseHeader(0, 0, 0, 0);
}
