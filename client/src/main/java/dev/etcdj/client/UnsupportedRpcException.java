package dev.etcdj.client;

/**
 * The server does not have the call: an RPC of a later etcd than the server runs (AuthStatus and
 * Downgrade came with etcd 3.5; etcd 3.4 and the etcdj server, which is etcd 3.4 on the wire,
 * lack Downgrade). {@link #method()} names the call, {@link #since()} the etcd version that has it.
 * Retrying does not help; the server's own words are the cause's message.
 */
public class UnsupportedRpcException extends EtcdException {

    private final String method;
    private final String since;

    public UnsupportedRpcException(String method, String since, Throwable cause) {
        super(Code.UNIMPLEMENTED, EtcdError.UNKNOWN, method + " is not supported by this server (it needs etcd "
                + since + " or later)", cause);
        this.method = method;
        this.since = since;
    }

    /** The call, as "Service/Method" (e.g. "Maintenance/Downgrade"). */
    public String method() {
        return method;
    }

    /** The first etcd version with the call. */
    public String since() {
        return since;
    }
}
