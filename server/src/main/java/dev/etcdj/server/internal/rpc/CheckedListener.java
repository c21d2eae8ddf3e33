package dev.etcdj.server.internal.rpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A call listener that checks each request message before the service sees it. The first message
 * the check refuses closes the call with the check's status; from then on the service hears no more
 * messages, no half-close and no readiness, so it never answers a call that is already closed.
 */
final class CheckedListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    /** A check of one request message. */
    @FunctionalInterface
    interface Check<Q> {
        /** @return the status to close the call with, or null to hand the message on */
        Status refusal(Q message);
    }

    private final ServerCall<Q, R> call;
    private final Check<Q> check;
    private boolean refused;

    CheckedListener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Check<Q> check) {
        super(delegate);
        this.call = call;
        this.check = check;
    }

    @Override
    public void onMessage(Q message) {
        if (refused) {
            return;
        }
        Status refusal = check.refusal(message);
        if (refusal != null) {
            refused = true;
            call.close(refusal, new Metadata());
            return;
        }
        super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
        if (!refused) {
            super.onHalfClose();
        }
    }

    @Override
    public void onReady() {
        if (!refused) {
            super.onReady();
        }
    }
}
