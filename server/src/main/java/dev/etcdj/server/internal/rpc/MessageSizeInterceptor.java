package dev.etcdj.server.internal.rpc;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener;
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
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean rejected;

            @Override
            public void onMessage(Q message) {
                if (rejected) {
                    return;
                }
                if (message instanceof MessageLite m && m.getSerializedSize() > limit) {
                    rejected = true;
                    call.close(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
                            "grpc: received message larger than max (%d vs. %d)", m.getSerializedSize(), limit)),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!rejected) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                super.onCancel();
            }
        };
    }
}
