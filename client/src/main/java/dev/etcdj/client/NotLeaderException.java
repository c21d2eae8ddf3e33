package dev.etcdj.client;

/** The request must go to the leader (e.g. move-leader). */
public class NotLeaderException extends EtcdPreconditionException {

    public NotLeaderException() {
        this(EtcdError.NOT_LEADER.message(), null);
    }

    public NotLeaderException(String message, Throwable cause) {
        super(EtcdError.NOT_LEADER.code(), EtcdError.NOT_LEADER, message, cause);
    }
}
