package dev.etcdj.tck.security;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls any RPC of any service on one endpoint as one identity (a token, or none) and turns the
 * answer into a line that does not depend on ids, ports or timing: the status code and etcd's
 * message for an error, {@code OK} plus what the caller chose to show for a success.
 */
final class RpcProbe implements AutoCloseable {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final long DEADLINE_MS = 3_000;
    private static final long STREAM_IDLE_MS = 400;

    private final ManagedChannel channel;

    RpcProbe(String endpoint) {
        URI u = URI.create(endpoint);
        channel = ManagedChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
    }

    private io.grpc.Channel as(String token) {
        if (token == null) {
            return channel;
        }
        Metadata md = new Metadata();
        md.put(TOKEN, token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** A unary call. */
    <Q extends Message, R extends Message> String unary(String token, MethodDescriptor<Q, R> method, Q request,
                                                        Function<R, String> show) {
        try {
            R r = ClientCalls.blockingUnaryCall(as(token), method,
                    CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS), request);
            return "OK " + show.apply(r);
        } catch (StatusRuntimeException e) {
            return error(e.getStatus());
        }
    }

    /** A server-streaming call: its first message, or how it ended. */
    <Q extends Message, R extends Message> String serverStream(String token, MethodDescriptor<Q, R> method, Q request,
                                                               Function<R, String> show) {
        ClientCall<Q, R> call = as(token).newCall(method, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS,
                TimeUnit.MILLISECONDS));
        try {
            Iterator<R> it = ClientCalls.blockingServerStreamingCall(call, request);
            return it.hasNext() ? "OK " + show.apply(it.next()) : "OK (ended)";
        } catch (StatusRuntimeException e) {
            return error(e.getStatus());
        } finally {
            call.cancel("probe done", null);
        }
    }

    /** A bidi stream: sends one request, then shows every message until the stream is idle or ends. */
    <Q extends Message, R extends Message> String bidi(String token, MethodDescriptor<Q, R> method, Q request,
                                                       Function<R, String> show) throws InterruptedException {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        ClientCall<Q, R> call = as(token).newCall(method, CallOptions.DEFAULT);
        StreamObserver<Q> out = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<R>() {
            @Override
            public void onNext(R value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                answers.add("completed");
            }
        });
        out.onNext(request);
        List<String> seen = new ArrayList<>();
        try {
            while (true) {
                Object a = answers.poll(seen.isEmpty() ? DEADLINE_MS : STREAM_IDLE_MS, TimeUnit.MILLISECONDS);
                if (a == null) {
                    seen.add(seen.isEmpty() ? "no answer" : "open");
                    break;
                }
                if (a instanceof Status s) {
                    seen.add(error(s));
                    break;
                }
                if (a instanceof String done) {
                    seen.add(done);
                    break;
                }
                @SuppressWarnings("unchecked")
                R r = (R) a;
                seen.add("OK " + show.apply(r));
            }
        } finally {
            call.cancel("probe done", null);
        }
        return String.join(" | ", seen);
    }

    static String error(Status s) {
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return "DEADLINE_EXCEEDED"; // gRPC's text carries timings
        }
        return s.getCode() + ": " + s.getDescription();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
