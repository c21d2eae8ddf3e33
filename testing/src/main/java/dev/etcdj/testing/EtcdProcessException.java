package dev.etcdj.testing;

/** An etcd process could not be started, stopped or signalled. The message says why. */
public class EtcdProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EtcdProcessException(String message) {
        super(message);
    }

    public EtcdProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
