package dev.etcdj.client;

/**
 * {@link ElectionClient#proclaim} with a leader key that does not lead (any more): it was resigned,
 * its lease ended, or it never led. etcd's "election: not leader" (sent as a raw error, gRPC code
 * Unknown).
 */
public class ElectionNotLeaderException extends EtcdPreconditionException {

    public ElectionNotLeaderException(String message, Throwable cause) {
        super(Code.UNKNOWN, EtcdError.ELECTION_NOT_LEADER, message, cause);
    }

    /** For subclasses that report the same condition found on the client's side. */
    protected ElectionNotLeaderException(Code code, String message) {
        super(code, EtcdError.ELECTION_NOT_LEADER, message, null);
    }
}
