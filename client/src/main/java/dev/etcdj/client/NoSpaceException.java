package dev.etcdj.client;

/** The server's storage quota is exhausted (NOSPACE alarm): writes fail until space is freed and the alarm disarmed. */
public class NoSpaceException extends EtcdPreconditionException {

    public NoSpaceException() {
        this(EtcdError.NO_SPACE.message(), null);
    }

    public NoSpaceException(String message, Throwable cause) {
        super(EtcdError.NO_SPACE.code(), EtcdError.NO_SPACE, message, cause);
    }
}
