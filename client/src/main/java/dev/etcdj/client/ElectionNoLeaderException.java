package dev.etcdj.client;

/**
 * {@link ElectionClient#leader} of an election nobody leads: etcd's "election: no leader" (which
 * etcd sends as a raw error, gRPC code Unknown).
 */
public class ElectionNoLeaderException extends EtcdNotFoundException {

    public ElectionNoLeaderException(String message, Throwable cause) {
        super(Code.UNKNOWN, EtcdError.ELECTION_NO_LEADER, message, cause);
    }
}
