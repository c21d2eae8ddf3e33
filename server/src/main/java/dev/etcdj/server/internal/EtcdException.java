package dev.etcdj.server.internal;

import dev.etcdj.proto.internal.WireError;
import io.grpc.StatusRuntimeException;

/** An etcd-level failure carrying the exact etcd error; converted to a gRPC status at the edge. */
public final class EtcdException extends RuntimeException {
    private final WireError error;

    public EtcdException(WireError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** Shorthand for {@code new EtcdException(error)}, for {@code throw EtcdException.of(…)}. */
    public static EtcdException of(WireError error) {
        return new EtcdException(error);
    }

    public WireError error() {
        return error;
    }

    public StatusRuntimeException toStatus() {
        return error.asException();
    }
}
