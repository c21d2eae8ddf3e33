package dev.etcdj.client.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * keepAliveOnce's single-use stream, driven by a scripted call that answers at the worst moment:
 * inside sendMessage, before halfClose (as a fast server and a busy caller thread can make happen).
 */
class KeepAliveOnceTest {

    /**
     * Answers from within sendMessage and checks its methods' states as gRPC's ClientCallImpl does
     * (sendMessage/halfClose after cancel throw "call was cancelled").
     */
    static final class AnsweringCall extends ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> {
        final List<String> calls = new ArrayList<>();
        Listener<LeaseKeepAliveResponse> listener;
        boolean cancelled;
        boolean halfClosed;
        boolean closed;

        @Override
        public void start(Listener<LeaseKeepAliveResponse> l, Metadata headers) {
            listener = l;
            calls.add("start");
        }

        @Override
        public void request(int n) {
            calls.add("request");
        }

        @Override
        public void cancel(String message, Throwable cause) {
            calls.add("cancel");
            if (!cancelled && !closed) {
                cancelled = true;
                closed = true;
                listener.onClose(Status.CANCELLED.withDescription(message), new Metadata());
            }
        }

        @Override
        public void halfClose() {
            if (cancelled) {
                throw new IllegalStateException("call was cancelled");
            }
            calls.add("halfClose");
            halfClosed = true;
        }

        @Override
        public void sendMessage(LeaseKeepAliveRequest message) {
            if (cancelled) {
                throw new IllegalStateException("call was cancelled");
            }
            calls.add("sendMessage");
            // the answer arrives before the caller gets to halfClose
            listener.onMessage(LeaseKeepAliveResponse.newBuilder().setID(message.getID()).setTTL(30)
                    .setHeader(ResponseHeader.newBuilder().setRevision(7)).build());
        }
    }

    static Channel channelOf(ClientCall<?, ?> call) {
        return new Channel() {
            @Override
            @SuppressWarnings("unchecked")
            public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> method, CallOptions options) {
                return (ClientCall<Q, A>) call;
            }

            @Override
            public String authority() {
                return "scripted";
            }
        };
    }

    @Test
    void anAnswerBeforeHalfCloseIsTheAnswer() throws Exception {
        AnsweringCall call = new AnsweringCall();
        ListenableFuture<LeaseKeepAliveResponse> f =
                LeaseClientImpl.keepAliveOnce(channelOf(call), CallOptions.DEFAULT, 42);
        LeaseKeepAliveResponse r = f.get(5, TimeUnit.SECONDS);
        assertThat(r.getID()).isEqualTo(42);
        assertThat(r.getTTL()).isEqualTo(30);
        // the call is still released once answered, after the request side is finished with
        assertThat(call.calls).containsSubsequence("sendMessage", "halfClose", "cancel");
        assertThat(call.closed).isTrue();
    }
}
