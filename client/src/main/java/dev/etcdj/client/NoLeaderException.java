package dev.etcdj.client;

/** The member has no leader (lost quorum or an election is running). */
public class NoLeaderException extends EtcdUnavailableException {

    public NoLeaderException() {
        this(EtcdError.NO_LEADER.message(), null);
    }

    public NoLeaderException(String message, Throwable cause) {
        super(EtcdError.NO_LEADER.code(), EtcdError.NO_LEADER, message, cause);
    }
}
