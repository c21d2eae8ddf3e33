package dev.etcdj.bench.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.internal.KvCodec;
import dev.etcdj.client.internal.KvRequestEncoder;
import dev.etcdj.client.internal.KvResponseDecoder;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The wire side of a request: resolved ops to request bytes, response bytes to public values. The
 * client's KV calls use the hand-written {@link KvRequestEncoder} and {@link KvResponseDecoder}
 * ({@code ...ByHand}); the others go through the generated protobuf classes, as txn requests still
 * do ({@link KvCodec}) and KV calls did before (the baseline). {@code decodeRange} is the generated
 * parse plus the conversion to the public record the client used to make (kept here, as the
 * baseline only); watch responses go through {@link ProtoConvert}, the generated path the watch
 * stream's own decoder replaced. Run with {@code -prof gc}.
 */
public class CodecBenchmark extends PerCallBenchmark {

    @Param({"10"})
    public int kvs;

    private Op.Get get;
    private Op.Put put;
    private Op.Txn txn;
    private byte[] rangeResponse;
    private byte[] watchResponse;

    @Setup
    public void setup() {
        Bytes key = Bytes.of("/registry/pods/default/nginx-7c5ddbdf54-abcde");
        Bytes value = Bytes.wrap(new byte[256]);
        get = Op.get(key, dev.etcdj.client.Options.prefix(), dev.etcdj.client.Options.limit(10));
        put = Op.put(key, value);
        txn = Op.txn().when(Cmp.modRevision(key).equalTo(42)).then(Op.put(key, value)).orElse(Op.get(key));
        ResponseHeader header = ResponseHeader.newBuilder().setClusterId(1).setMemberId(2).setRevision(1000)
                .setRaftTerm(3).build();
        RangeResponse.Builder rr = RangeResponse.newBuilder().setHeader(header).setCount(kvs);
        WatchResponse.Builder wr = WatchResponse.newBuilder().setHeader(header).setWatchId(7);
        for (int i = 0; i < kvs; i++) {
            KeyValue kv = KeyValue.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("/registry/pods/" + i))
                    .setValue(com.google.protobuf.ByteString.copyFrom(new byte[256])).setCreateRevision(10 + i)
                    .setModRevision(900 + i).setVersion(3).build();
            rr.addKvs(kv);
            wr.addEvents(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv));
        }
        rangeResponse = rr.build().toByteArray();
        watchResponse = wr.build().toByteArray();
    }

    @Benchmark
    public byte[] encodeRange() {
        return KvCodec.rangeRequest(get).toByteArray();
    }

    @Benchmark
    public byte[] encodePut() {
        return KvCodec.putRequest(put).toByteArray();
    }

    @Benchmark
    public KvRequestEncoder.Encoded encodeRangeByHand() {
        return KvRequestEncoder.range(get);
    }

    @Benchmark
    public KvRequestEncoder.Encoded encodePutByHand() {
        return KvRequestEncoder.put(put);
    }

    @Benchmark
    public byte[] encodeTxn() {
        return KvCodec.txnRequest(txn).toByteArray();
    }

    @Benchmark
    public GetResponse decodeRange() throws InvalidProtocolBufferException {
        return getResponse(RangeResponse.parseFrom(rangeResponse));
    }

    /** The baseline's conversion, as the client did it before the hand-written decoder; not shipped. */
    private static GetResponse getResponse(RangeResponse r) {
        List<dev.etcdj.client.KeyValue> kvs = new ArrayList<>(r.getKvsCount());
        for (KeyValue kv : r.getKvsList()) {
            kvs.add(ProtoConvert.keyValue(kv));
        }
        return new GetResponse(ProtoConvert.header(r.getHeader()), kvs, r.getMore(), r.getCount());
    }

    @Benchmark
    public GetResponse decodeRangeByHand() {
        return KvResponseDecoder.RANGE.parse(new ByteArrayInputStream(rangeResponse));
    }

    @Benchmark
    public List<WatchEvent> decodeWatch() throws InvalidProtocolBufferException {
        WatchResponse r = WatchResponse.parseFrom(watchResponse);
        List<WatchEvent> events = new ArrayList<>(r.getEventsCount());
        for (Event e : r.getEventsList()) {
            events.add(new WatchEvent(e.getType() == Event.EventType.PUT ? WatchEvent.Type.PUT : WatchEvent.Type.DELETE,
                    ProtoConvert.keyValue(e.getKv()), e.hasPrevKv() ? Optional.of(ProtoConvert.keyValue(e.getPrevKv()))
                    : Optional.empty()));
        }
        return events;
    }
}
