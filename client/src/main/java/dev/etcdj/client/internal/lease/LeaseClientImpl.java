package dev.etcdj.client.internal.lease;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseClient;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseStatus;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * etcd's Lease service. Unary calls go through {@link Transport#unary}; keep-alives share one
 * {@link KeepAliveManager}, also across the views made by {@link #withTimeout} and
 * {@link #withRequireLeader}.
 */
public final class LeaseClientImpl extends ServiceView<LeaseClient> implements LeaseClient, AutoCloseable {

    private final KeepAliveManager keepAlives;

    public LeaseClientImpl(Transport transport) {
        this(transport, new KeepAliveManager(transport));
    }

    private LeaseClientImpl(Transport transport, KeepAliveManager keepAlives) {
        // Keep-alives of every view share the client's stream: only its unary calls differ.
        super(transport, view -> new LeaseClientImpl(view, keepAlives));
        this.keepAlives = keepAlives;
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
        return grant(ttlSeconds, 0);
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds, long leaseId) {
        LeaseGrantRequest req = LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).setID(leaseId).build();
        // Not idempotent: a retried grant could leave a second lease (or fail with "exists").
        return map(leaseId, transport.unary(null, false, Transport.UnaryCall.of(LeaseGrpc.getLeaseGrantMethod(), req)),
                r -> new LeaseGrantResponse(ProtoConvert.header(r.getHeader()), r.getID(), r.getTTL()));
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
        LeaseRevokeRequest req = LeaseRevokeRequest.newBuilder().setID(leaseId).build();
        return map(leaseId, transport.unary(null, false, Transport.UnaryCall.of(LeaseGrpc.getLeaseRevokeMethod(), req)),
                r -> new LeaseRevokeResponse(ProtoConvert.header(r.getHeader())));
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId) {
        // A renewal is idempotent, so it may be retried on another endpoint.
        return map(leaseId, transport.unary(null, true, (ch, opts) -> keepAliveOnce(ch, opts, leaseId)),
                r -> {
                    if (r.getTTL() <= 0) {
                        throw new LeaseNotFoundException(leaseId);
                    }
                    return new LeaseKeepAliveResponse(ProtoConvert.header(r.getHeader()), r.getID(), r.getTTL());
                });
    }

    /** One request and one answer on a LeaseKeepAlive stream of its own, as clientv3's KeepAliveOnce. */
    static ListenableFuture<dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> keepAliveOnce(
            Channel channel, CallOptions options, long leaseId) {
        ClientCall<LeaseKeepAliveRequest, dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> call =
                channel.newCall(LeaseGrpc.getLeaseKeepAliveMethod(), options);
        SettableFuture<dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> result = SettableFuture.create();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse message) {
                // Not cancelled here: the answer can come before this thread got to halfClose(),
                // which would then throw "call was cancelled". The listener below ends the call.
                result.set(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (!result.isDone()) {
                    result.setException(status.isOk()
                            ? Status.UNAVAILABLE.withDescription("keep-alive stream ended without an answer")
                                    .asRuntimeException()
                            : status.asRuntimeException(trailers));
                }
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
        call.halfClose();
        // Registered only now, so the call is never cancelled while this thread still uses it.
        // Once answered (or given up) the stream is not needed; cancelling a closed call does nothing.
        result.addListener(() -> call.cancel(result.isCancelled() ? "keepAliveOnce cancelled"
                : "keepAliveOnce answered", null), Runnable::run);
        return result;
    }

    @Override
    public KeepAlive keepAlive(long leaseId, KeepAliveListener listener) {
        return keepAlives.keepAlive(leaseId, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, boolean withKeys) {
        LeaseTimeToLiveRequest req = LeaseTimeToLiveRequest.newBuilder().setID(leaseId).setKeys(withKeys).build();
        return map(leaseId, transport.unary(null, true, Transport.UnaryCall.of(LeaseGrpc.getLeaseTimeToLiveMethod(), req)),
                r -> {
                    List<Bytes> keys = new ArrayList<>(r.getKeysCount());
                    r.getKeysList().forEach(k -> keys.add(ProtoConvert.toBytes(k)));
                    return new LeaseTimeToLiveResponse(ProtoConvert.header(r.getHeader()), r.getID(), r.getTTL(),
                            r.getGrantedTTL(), keys);
                });
    }

    @Override
    public CompletableFuture<LeaseListResponse> leases() {
        LeaseLeasesRequest req = LeaseLeasesRequest.getDefaultInstance();
        return map(0, transport.unary(null, true, Transport.UnaryCall.of(LeaseGrpc.getLeaseLeasesMethod(), req)),
                r -> {
                    List<Long> ids = new ArrayList<>(r.getLeasesCount());
                    for (LeaseStatus s : r.getLeasesList()) {
                        ids.add(s.getID());
                    }
                    return new LeaseListResponse(ProtoConvert.header(r.getHeader()), ids);
                });
    }


    /** The keep-alive machinery shared by this client's views; for tests and diagnostics. */
    KeepAliveManager keepAlives() {
        return keepAlives;
    }

    /** Ends every keep-alive with {@code onClosed}; called when the client closes. */
    @Override
    public void close() {
        keepAlives.close();
    }

    /**
     * Maps a transport future's value, keeping cancellation wired to the call and failing with the
     * bare {@link EtcdException} (not wrapped). The server's "lease not found" does not say which
     * lease; we know, so we add it.
     */
    private static <A, B> CompletableFuture<B> map(long leaseId, CompletableFuture<A> f, Function<A, B> fn) {
        CompletableFuture<B> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof LeaseNotFoundException n && n.leaseId() == 0 && leaseId != 0) {
                    cause = new LeaseNotFoundException(n.getMessage(), leaseId, n.getCause());
                }
                out.completeExceptionally(cause);
                return;
            }
            try {
                out.complete(fn.apply(v));
            } catch (RuntimeException ex) {
                out.completeExceptionally(ex);
            }
        });
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                f.cancel(true);
            }
        });
        return out;
    }
}
