package dev.etcdj.client.internal.election;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.SentTracer;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.internal.SerialExecutor;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One observation of an election over the server's Observe stream, opened again after a backoff
 * whenever it breaks (on the transport's current endpoint, so it follows failover) until closed or
 * until a failure that opening it again would repeat. A new stream starts with the current leader;
 * the listener hears it only when it is not the last one it heard (same key and mod revision), so
 * a resumed observation neither repeats nor loses a change of leader.
 *
 * <p>Unlike the watch and keep-alive streams there is no first-answer timeout: the server stays
 * silent for as long as nobody leads, so silence says nothing about the endpoint.
 */
final class ObserveStream implements ElectionObservation {

    private static final String STREAM = "observe";

    private final Transport transport;
    private final Bytes name;
    private final ElectionListener listener;
    private final LeaderRequest request;
    private final SerialExecutor callbacks;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    // ---- guarded by this
    private Attempt current;
    private ScheduledFuture<?> reopen;
    private int failures;
    private boolean ended;
    private KeyValue last;

    ObserveStream(Transport transport, Bytes name, ElectionListener listener) {
        this.transport = transport;
        this.name = name;
        this.listener = listener;
        this.request = LeaderRequest.newBuilder().setName(ProtoConvert.toByteString(name)).build();
        this.callbacks = new SerialExecutor(transport.callbackExecutor(), "election listener");
    }

    @Override
    public Bytes name() {
        return name;
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    synchronized void open() {
        reopen = null;
        if (ended) {
            return;
        }
        if (transport.isClosed()) {
            end(null);
            return;
        }
        Channel channel = transport.streamChannel();
        Attempt attempt = new Attempt(channel);
        attempt.call = channel.newCall(ElectionGrpc.getObserveMethod(),
                transport.streamCallOptions().withStreamTracerFactory(attempt.tracer));
        current = attempt;
        try {
            ClientCalls.asyncServerStreamingCall(attempt.call, request, attempt);
        } catch (RuntimeException e) {
            attempt.onError(e);
        }
    }

    private synchronized void received(Attempt attempt, dev.etcdj.proto.v3electionpb.LeaderResponse message) {
        if (ended || attempt != current) {
            return;
        }
        if (!attempt.answered) {
            attempt.answered = true;
            transport.events().streamOpened(STREAM, transport.endpointOf(attempt.channel));
        }
        failures = 0;
        KeyValue kv = ProtoConvert.keyValue(message.getKv());
        if (last != null && last.key().equals(kv.key()) && last.modRevision() == kv.modRevision()) {
            return;     // the leader we last told, repeated by a new stream
        }
        last = kv;
        LeaderResponse response = new LeaderResponse(ProtoConvert.header(message.getHeader()), kv);
        callbacks.execute(() -> listener.onLeader(response));
    }

    private synchronized void failed(Attempt attempt, Throwable error) {
        if (ended || attempt != current) {
            return;     // closed (our own cancel), or a stream already replaced
        }
        current = null;
        Transport.StreamFailure failure = transport.streamFailed(attempt.channel, error, attempt.tracer.sent());
        transport.events().streamBroken(STREAM, transport.endpointOf(attempt.channel), failure.error(),
                failure.permanent());
        if (failure.permanent()) {
            end(failure.error());
            return;
        }
        if (transport.isClosed()) {
            end(null);
            return;
        }
        try {
            reopen = transport.scheduler().schedule(this::open, transport.backoff(failures++).toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            end(null);  // the client's timers are shut down: it is closing
        }
    }

    /** Ends the observation: with {@code error}, or closed when it is null. Under the lock. */
    private void end(EtcdException error) {
        if (ended) {
            return;
        }
        ended = true;
        if (reopen != null) {
            reopen.cancel(false);
            reopen = null;
        }
        Attempt a = current;
        current = null;
        if (a != null) {
            a.call.cancel("observation closed", null);
        }
        callbacks.execute(() -> {
            try {
                if (error != null) {
                    listener.onError(error);
                } else {
                    listener.onClosed();
                }
            } finally {
                terminated.complete(null);
            }
        });
    }

    @Override
    public synchronized void close() {
        end(null);
    }

    /** One Observe call: the stream between two failures. */
    private final class Attempt implements StreamObserver<dev.etcdj.proto.v3electionpb.LeaderResponse> {
        final Channel channel;
        final SentTracer tracer = new SentTracer();
        ClientCall<LeaderRequest, dev.etcdj.proto.v3electionpb.LeaderResponse> call;
        boolean answered;

        Attempt(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void onNext(dev.etcdj.proto.v3electionpb.LeaderResponse value) {
            received(this, value);
        }

        @Override
        public void onError(Throwable t) {
            failed(this, t);
        }

        @Override
        public void onCompleted() {
            // As a failure the transport understands (UNAVAILABLE), so it fails over.
            failed(this, Status.UNAVAILABLE.withDescription("etcdj: the server ended the observe stream")
                    .asRuntimeException());
        }
    }
}
