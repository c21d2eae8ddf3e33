package dev.etcdj.client.internal.election;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.LockClient;
import dev.etcdj.client.LockResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import dev.etcdj.proto.v3lockpb.LockRequest;
import dev.etcdj.proto.v3lockpb.UnlockRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link LockClient} over etcd's v3lock service. */
public final class LockClientImpl extends ServiceView<LockClient> implements LockClient {

    public LockClientImpl(Transport transport) {
        super(transport, LockClientImpl::new);
    }

    @Override
    public CompletableFuture<LockResponse> lock(Bytes name, long leaseId) {
        LockRequest req = LockRequest.newBuilder().setName(ProtoConvert.toByteString(Objects.requireNonNull(name)))
                .setLease(leaseId).build();
        // Not idempotent: an attempt that reached the server may have queued a key for us.
        return Waiting.map(transport.unary(waitTimeout(Waiting.UNBOUNDED), false, Transport.UnaryCall.of(LockGrpc.getLockMethod(), req)),
                r -> new LockResponse(ProtoConvert.header(r.getHeader()), ProtoConvert.toBytes(r.getKey())));
    }

    @Override
    public CompletableFuture<ResponseHeader> unlock(Bytes key) {
        UnlockRequest req = UnlockRequest.newBuilder().setKey(ProtoConvert.toByteString(Objects.requireNonNull(key)))
                .build();
        return transport.unary(null, false, Transport.UnaryCall.of(LockGrpc.getUnlockMethod(), req))
                .thenApply(r -> ProtoConvert.header(r.getHeader()));
    }
}
