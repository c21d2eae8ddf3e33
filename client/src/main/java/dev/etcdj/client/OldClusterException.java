package dev.etcdj.client;

/**
 * The cluster runs an etcd older than 3.2, and the client was built with
 * {@link ClientBuilder#rejectOldCluster(boolean)}; Go's {@code ErrOldCluster}.
 */
public class OldClusterException extends EtcdPreconditionException {

    private static final long serialVersionUID = 1L;

    /**
     * The cluster and the version it runs.
     *
     * @param message which endpoint runs which version
     */
    public OldClusterException(String message) {
        super(Code.FAILED_PRECONDITION, EtcdError.UNKNOWN, message, null);
    }
}
