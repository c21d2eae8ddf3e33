package dev.etcdj.client;

/** The client was closed: calls made after {@code close()}, and calls still running then, fail with this. */
public class ClientClosedException extends EtcdException {

    public ClientClosedException() {
        super(Code.CANCELLED, EtcdError.UNKNOWN, "etcdj: client is closed", null);
    }
}
