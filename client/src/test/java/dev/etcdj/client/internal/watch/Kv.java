package dev.etcdj.client.internal.watch;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Plain KV calls straight to one etcd for the stream tests (the client's own KV is another
 * engineer's work): its own channel, so faults injected into the client's path do not touch it.
 */
public final class Kv implements AutoCloseable {

    private final ManagedChannel channel;

    public Kv(String endpoint) {
        URI uri = URI.create(endpoint);
        channel = ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
    }

    private KVGrpc.KVBlockingStub stub() {
        return KVGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** Puts and returns the revision it made. */
    public long put(String key, String value) {
        return put(key, value, 0);
    }

    public long put(String key, String value, long lease) {
        return stub().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).setLease(lease).build()).getHeader().getRevision();
    }

    /** One txn putting {@code prefix + i} for i in [0, n): n events at one revision. */
    public long putMany(String prefix, int n, String value) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i < n; i++) {
            txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(prefix + i)).setValue(ByteString.copyFromUtf8(value))));
        }
        return stub().txn(txn.build()).getHeader().getRevision();
    }

    public long delete(String key) {
        return stub().deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
                .getHeader().getRevision();
    }

    public RangeResponse get(String key, String rangeEnd) {
        return stub().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setRangeEnd(ByteString.copyFromUtf8(rangeEnd)).build());
    }

    public long revision() {
        return stub().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("\0")).setCountOnly(true)
                .build()).getHeader().getRevision();
    }

    public void compact(long revision) {
        stub().compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
