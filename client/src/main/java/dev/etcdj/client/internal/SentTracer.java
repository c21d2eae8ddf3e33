package dev.etcdj.client.internal;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes whether a call got a stream on an established connection: until then it cannot have
 * reached a server, and its failure is one of connecting; and whether its headers were then
 * written to that connection: until then the server cannot have seen the request. One per attempt
 * of a call or stream.
 */
public final class SentTracer extends ClientStreamTracer.Factory {

    private volatile boolean sent;
    private volatile boolean written;

    /** Whether gRPC put the call on an established connection. */
    public boolean sent() {
        return sent;
    }

    /**
     * Whether the call's headers went out on the connection. gRPC fails a stream that never got
     * this far (a connection closing, a GOAWAY that came first) with "miscarried" progress, which
     * its own transparent retry replayed; with that retry off, this tells the same thing.
     */
    public boolean written() {
        return written;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        return new ClientStreamTracer() {
            @Override
            public void streamCreated(Attributes transportAttrs, Metadata h) {
                sent = true;
            }

            @Override
            public void outboundHeaders() {
                written = true;
            }
        };
    }
}
