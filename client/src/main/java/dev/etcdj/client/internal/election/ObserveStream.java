package dev.etcdj.client.internal.election;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.client.internal.stream.ResilientStream;
import dev.etcdj.proto.internal.SerialExecutor;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One observation of an election over the server's Observe stream, run on a
 * {@link ResilientStream}: opened again after a backoff whenever it breaks (on the transport's
 * current endpoint, so it follows failover) until closed or until a failure that opening it again
 * would repeat. A new stream starts with the current leader; the listener hears it only when it is
 * not the last one it heard (same key and mod revision), so a resumed observation neither repeats
 * nor loses a change of leader.
 *
 * <p>Unlike the watch and keep-alive streams there is no first-answer timeout: the server stays
 * silent for as long as nobody leads, so silence says nothing about the endpoint.
 */
final class ObserveStream implements ElectionObservation, ResilientStream.Handler<dev.etcdj.proto.v3electionpb.LeaderResponse> {

    private final Transport transport;
    private final Bytes name;
    private final ElectionListener listener;
    private final LeaderRequest request;
    private final SerialExecutor callbacks;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Guarded by this, as is all below. */
    private final ResilientStream<LeaderRequest, dev.etcdj.proto.v3electionpb.LeaderResponse> stream;

    private boolean ended;
    private KeyValue last;

    ObserveStream(Transport transport, Bytes name, ElectionListener listener) {
        this.transport = transport;
        this.name = name;
        this.listener = listener;
        this.request = LeaderRequest.newBuilder().setName(ProtoConvert.toByteString(name)).build();
        this.callbacks = new SerialExecutor(transport.callbackExecutor(), "election listener");
        this.stream = new ResilientStream<>("observe", transport, ElectionGrpc.getObserveMethod(), this, 0, 0, this);
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
        if (transport.isClosed()) {
            end(null);
        } else if (!ended) {
            stream.start();
        }
    }

    @Override
    public synchronized void close() {
        end(null);
    }

    // ---- the stream's handler: all but clientClosed under the lock (this)

    @Override
    public boolean wanted() {
        return !ended;
    }

    @Override
    public void opened() {
        stream.sendLast(request);
    }

    @Override
    public Runnable received(dev.etcdj.proto.v3electionpb.LeaderResponse message) {
        if (ended) {
            return null;
        }
        KeyValue kv = ProtoConvert.keyValue(message.getKv());
        if (last != null && last.key().equals(kv.key()) && last.modRevision() == kv.modRevision()) {
            return null;     // the leader we last told, repeated by a new stream
        }
        last = kv;
        LeaderResponse response = new LeaderResponse(ProtoConvert.header(message.getHeader()), kv);
        callbacks.execute(() -> listener.onLeader(response));
        return null;
    }

    @Override
    public void interrupted(EtcdException error) {
        // Reopened after a backoff; the listener hears nothing until the leader changes.
    }

    @Override
    public Runnable failed(EtcdException error) {
        end(error);
        return null;
    }

    @Override
    public synchronized void clientClosed() {
        end(null);
    }

    /** Ends the observation: with {@code error}, or closed when it is null. Under the lock. */
    private void end(EtcdException error) {
        if (ended) {
            return;
        }
        ended = true;
        stream.stop("observation closed");
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
}
