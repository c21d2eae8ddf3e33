package dev.etcdj.client.internal;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes whether a call got a stream on an established connection: until then it cannot have
 * reached a server, and its failure is one of connecting. One per attempt of a call or stream.
 */
public final class SentTracer extends ClientStreamTracer.Factory {

    private volatile boolean sent;

    /** Whether gRPC put the call on an established connection. */
    public boolean sent() {
        return sent;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        return new ClientStreamTracer() {
            @Override
            public void streamCreated(Attributes transportAttrs, Metadata h) {
                sent = true;
            }
        };
    }
}
