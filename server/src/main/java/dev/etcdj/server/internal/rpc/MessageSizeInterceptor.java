package dev.etcdj.server.internal.rpc;

import com.google.protobuf.MessageLite;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Rejects request messages above gRPC's receive limit (max-request-bytes + 512 KiB) with the text
 * etcd's Go gRPC server uses, "grpc: received message larger than max (N vs. LIMIT)". The
 * transport itself accepts a larger hard cap so that this check, not grpc-java's own, is hit.
 */
public final class MessageSizeInterceptor implements ServerInterceptor {
    private final int limit;

    public MessageSizeInterceptor(int limit) {
        this.limit = limit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return new CheckedListener<>(next.startCall(call, headers), call, message ->
                message instanceof MessageLite m && m.getSerializedSize() > limit
                        ? Status.RESOURCE_EXHAUSTED.withDescription(String.format(
                                "grpc: received message larger than max (%d vs. %d)", m.getSerializedSize(), limit))
                        : null);
    }
}
