package dev.etcdj.server.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** An etcd-level failure carrying the exact etcd error; converted to a gRPC status at the edge. */
public final class EtcdException extends RuntimeException {
    private final EtcdError error;

    public EtcdException(EtcdError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public EtcdError error() {
        return error;
    }

    public StatusRuntimeException toStatus() {
        return Status.fromCode(error.code()).withDescription(error.message()).asRuntimeException();
    }
}
