package dev.etcdj.client.internal;

import static dev.etcdj.client.Options.countOnly;
import static dev.etcdj.client.Options.ignoreLease;
import static dev.etcdj.client.Options.ignoreValue;
import static dev.etcdj.client.Options.keysOnly;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.limit;
import static dev.etcdj.client.Options.maxCreateRevision;
import static dev.etcdj.client.Options.maxModRevision;
import static dev.etcdj.client.Options.minCreateRevision;
import static dev.etcdj.client.Options.minModRevision;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.range;
import static dev.etcdj.client.Options.revision;
import static dev.etcdj.client.Options.serializable;
import static dev.etcdj.client.Options.sort;
import static dev.etcdj.client.internal.GeneratedKvAssert.assertSame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.ResponseOp;
import dev.etcdj.proto.mvccpb.KeyValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written KV wire code against protobuf's generated code: every request encodes to the
 * bytes the generated message writes, and every response decodes to what the generated parser
 * makes of the same bytes ({@link GeneratedKvAssert}).
 */
class KvWireTest {

    private static final UnknownFieldSet UNKNOWN = UnknownFieldSet.newBuilder()
            .addField(15, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
            .addField(16, UnknownFieldSet.Field.newBuilder().addVarint(7).addFixed64(8).addFixed32(9).build())
            .addField(4000, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.newBuilder()
                    .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build())
            .build();

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(-2).setMemberId(Long.MAX_VALUE).setRevision(99)
                .setRaftTerm(Long.MIN_VALUE).build();
    }

    private static KeyValue kv(String key, String value, long mod) {
        return KeyValue.newBuilder().setKey(bs(key)).setValue(bs(value)).setCreateRevision(2).setModRevision(mod)
                .setVersion(3).setLease(-7).build();
    }

    private static RangeResponse rangeResponse() {
        return RangeResponse.newBuilder().setHeader(header()).addKvs(kv("a", "1", 5)).addKvs(kv("b", "", 6))
                .addKvs(KeyValue.newBuilder().setKey(bs("c")).build()).setMore(true).setCount(Long.MAX_VALUE).build();
    }

    private static ResponseOp op(Object response) {
        ResponseOp.Builder b = ResponseOp.newBuilder();
        if (response instanceof RangeResponse r) {
            b.setResponseRange(r);
        } else if (response instanceof PutResponse p) {
            b.setResponsePut(p);
        } else if (response instanceof DeleteRangeResponse d) {
            b.setResponseDeleteRange(d);
        } else {
            b.setResponseTxn((dev.etcdj.proto.etcdserverpb.TxnResponse) response);
        }
        return b.build();
    }

    private static dev.etcdj.proto.etcdserverpb.TxnResponse txnResponse() {
        var inner = dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder().setHeader(header())
                .addResponses(op(PutResponse.newBuilder().setPrevKv(kv("p", "q", 1)).build())).build();
        return dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder().setHeader(header()).setSucceeded(true)
                .addResponses(op(rangeResponse()))
                .addResponses(op(PutResponse.newBuilder().setHeader(header()).build()))
                .addResponses(op(DeleteRangeResponse.newBuilder().setDeleted(2).addPrevKvs(kv("d", "e", 4)).build()))
                .addResponses(op(inner))
                .build();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Both decoders on the same bytes, compared field by field. */
    private static void sameAsGenerated(byte[] wire) throws Exception {
        assertSame(KvResponseDecoder.RANGE.decode(wire), RangeResponse.parseFrom(wire));
    }

    @Test
    void aRangeResponseDecodesAsTheGeneratedParserReadsIt() throws Exception {
        RangeResponse r = rangeResponse();
        GetResponse got = KvClientImpl.RANGE.parseResponse(new ByteArrayInputStream(r.toByteArray()));
        assertSame(got, r);
        assertThat(got.header()).isEqualTo(new dev.etcdj.client.ResponseHeader(-2, Long.MAX_VALUE, 99, Long.MIN_VALUE));
        assertThat(got.kvs()).hasSize(3);
        assertThat(got.kvs().get(1).value()).isSameAs(Bytes.EMPTY);
        assertThat(got.kvs().get(2)).isEqualTo(new dev.etcdj.client.KeyValue(Bytes.of("c"), Bytes.EMPTY, 0, 0, 0, 0));
        assertThatThrownBy(() -> got.kvs().add(got.kvs().get(0))).isInstanceOf(UnsupportedOperationException.class);
        // one kv, none, empty message
        sameAsGenerated(RangeResponse.newBuilder().addKvs(kv("k", "v", 1)).build().toByteArray());
        sameAsGenerated(RangeResponse.newBuilder().setHeader(header()).setCount(0).build().toByteArray());
        sameAsGenerated(new byte[0]);
        assertThat(KvResponseDecoder.RANGE.decode(new byte[0]).header()).isEqualTo(dev.etcdj.client.ResponseHeader.EMPTY);
    }

    @Test
    void unknownFieldsAndKnownNumbersOnAnotherWireTypeAreSkipped() throws Exception {
        UnknownFieldSet wrongType = UnknownFieldSet.newBuilder()
                .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(bs("not a count")).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(12).build()).build();
        RangeResponse r = RangeResponse.newBuilder().setHeader(header().toBuilder().setUnknownFields(UNKNOWN))
                .addKvs(kv("k", "v", 5).toBuilder().setUnknownFields(UNKNOWN)).setUnknownFields(UNKNOWN).build();
        sameAsGenerated(r.toByteArray());
        sameAsGenerated(concat(r.toByteArray(), RangeResponse.newBuilder().setUnknownFields(wrongType).build().toByteArray()));
        assertThat(KvResponseDecoder.RANGE.decode(r.toByteArray()).kvs()).hasSize(1);
    }

    @Test
    void aMessageSentInTwoPartsMergesAsProtobufMerges() throws Exception {
        // Concatenated encodings are one message: repeated fields append, scalars and sub-messages merge.
        RangeResponse first = rangeResponse();
        RangeResponse second = RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(100))
                .addKvs(kv("z", "zz", 9)).setCount(4).build();
        sameAsGenerated(concat(first.toByteArray(), second.toByteArray()));
        sameAsGenerated(concat(RangeResponse.newBuilder().setMore(true).build().toByteArray(), second.toByteArray()));
        byte[] puts = concat(PutResponse.newBuilder().setPrevKv(kv("k", "v", 3)).build().toByteArray(),
                PutResponse.newBuilder().setPrevKv(KeyValue.newBuilder().setValue(bs("w")).setLease(9)).build().toByteArray());
        assertSame(KvResponseDecoder.PUT.decode(puts), PutResponse.parseFrom(puts));
        byte[] dels = concat(DeleteRangeResponse.newBuilder().addPrevKvs(kv("a", "b", 1)).setDeleted(1).build().toByteArray(),
                DeleteRangeResponse.newBuilder().addPrevKvs(kv("c", "d", 2)).build().toByteArray());
        assertSame(KvResponseDecoder.DELETE.decode(dels), DeleteRangeResponse.parseFrom(dels));
        byte[] txns = concat(txnResponse().toByteArray(), txnResponse().toByteArray());
        assertSame(KvResponseDecoder.TXN.decode(txns), dev.etcdj.proto.etcdserverpb.TxnResponse.parseFrom(txns));
        // One ResponseOp whose one-of comes twice: the same kind merges, another kind replaces it.
        ByteArrayOutputStream op = new ByteArrayOutputStream();
        op(rangeResponse()).writeTo(op);
        op(RangeResponse.newBuilder().addKvs(kv("y", "", 1)).build()).writeTo(op);
        op(PutResponse.newBuilder().setHeader(header()).build()).writeTo(op);
        op(PutResponse.newBuilder().setPrevKv(kv("p", "", 1)).build()).writeTo(op);
        byte[] txn = dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder()
                .addResponses(ResponseOp.parseFrom(op.toByteArray())).build().toByteArray();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        var coded = com.google.protobuf.CodedOutputStream.newInstance(raw);
        coded.writeByteArray(3, op.toByteArray());
        coded.flush();
        byte[] twice = raw.toByteArray();
        assertThat(KvResponseDecoder.TXN.decode(twice)).isEqualTo(KvResponseDecoder.TXN.decode(txn));
        assertSame(KvResponseDecoder.TXN.decode(twice), dev.etcdj.proto.etcdserverpb.TxnResponse.parseFrom(twice));
    }

    @Test
    void putDeleteAndTxnResponsesDecodeAsTheGeneratedParserReadsThem() throws Exception {
        for (PutResponse p : List.of(PutResponse.getDefaultInstance(), PutResponse.newBuilder().setHeader(header()).build(),
                PutResponse.newBuilder().setHeader(header()).setPrevKv(kv("k", "old", 4)).build(),
                PutResponse.newBuilder().setPrevKv(KeyValue.getDefaultInstance()).build())) {
            byte[] wire = p.toByteArray();
            assertSame(KvClientImpl.PUT.parseResponse(new ByteArrayInputStream(wire)), p);
        }
        for (DeleteRangeResponse d : List.of(DeleteRangeResponse.getDefaultInstance(),
                DeleteRangeResponse.newBuilder().setHeader(header()).setDeleted(-1).build(),
                DeleteRangeResponse.newBuilder().setDeleted(3).addPrevKvs(kv("a", "1", 1)).addPrevKvs(kv("b", "2", 2))
                        .addPrevKvs(kv("c", "", 3)).build())) {
            byte[] wire = d.toByteArray();
            assertSame(KvClientImpl.DELETE_RANGE.parseResponse(new ByteArrayInputStream(wire)), d);
        }
        var t = txnResponse();
        TxnResponse got = KvClientImpl.TXN.parseResponse(new ByteArrayInputStream(t.toByteArray()));
        assertSame(got, t);
        assertThat(got.txnResponse(3).putResponse(0).prevKv()).isPresent();
        var empty = dev.etcdj.proto.etcdserverpb.TxnResponse.getDefaultInstance();
        assertSame(KvResponseDecoder.TXN.decode(empty.toByteArray()), empty);
    }

    @Test
    void bigKeysAndValuesComeThroughWhole() throws Exception {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        RangeResponse r = RangeResponse.newBuilder().setHeader(header())
                .addKvs(KeyValue.newBuilder().setKey(ByteString.copyFrom(big, 0, 70_000)).setValue(ByteString.copyFrom(big)))
                .setCount(1).build();
        GetResponse got = KvResponseDecoder.RANGE.decode(r.toByteArray());
        assertSame(got, r);
        assertThat(got.kvs().get(0).value().unsafeArray()).isEqualTo(big);
    }

    @Test
    void aBrokenMessageFailsTheCallWithATypedError() {
        byte[] whole = rangeResponse().toByteArray();
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> KvClientImpl.RANGE.parseResponse(new ByteArrayInputStream(cut)))
                .isInstanceOf(EtcdException.class).hasMessageContaining("cannot decode a range response")
                .extracting(e -> ((EtcdException) e).code()).isEqualTo(EtcdException.Code.INTERNAL);
        byte[] noResponse = dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder()
                .addResponses(ResponseOp.getDefaultInstance()).build().toByteArray();
        assertThatThrownBy(() -> KvResponseDecoder.TXN.decode(noResponse)).hasMessageContaining("holds no response");
        // Nested deeper than protobuf would parse: an error, not a stack overflow.
        var deep = dev.etcdj.proto.etcdserverpb.TxnResponse.getDefaultInstance();
        for (int i = 0; i < 60; i++) {
            deep = dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder().addResponses(op(deep)).build();
        }
        byte[] tooDeep = deep.toByteArray();
        assertThatThrownBy(() -> KvResponseDecoder.TXN.decode(tooDeep)).hasMessageContaining("nested deeper");
    }

    @Test
    void requestsEncodeToTheBytesOfTheGeneratedMessages() {
        List<Op.Get> gets = List.of(Op.get("foo"), Op.get(Bytes.EMPTY), Op.get("a", prefix()), Op.get("a", range("z"),
                limit(7), revision(42), sort(SortTarget.MOD, SortOrder.DESCEND), serializable(), keysOnly(), countOnly(),
                minModRevision(1), maxModRevision(Long.MAX_VALUE), minCreateRevision(3), maxCreateRevision(4)),
                Op.get("k", sort(SortTarget.VALUE, SortOrder.ASCEND)), Op.get("k", sort(SortTarget.KEY, SortOrder.NONE)));
        for (Op.Get g : gets) {
            assertThat(KvRequestEncoder.range(g).bytes).isEqualTo(KvCodec.rangeRequest(g).toByteArray());
        }
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        for (Op.Put p : List.of(Op.put("k", "v"), Op.put(Bytes.of("k"), Bytes.EMPTY),
                Op.put(Bytes.of("k"), Bytes.of(big), lease(-5), prevKv(), ignoreValue(), ignoreLease()),
                Op.put(Bytes.of("k"), Bytes.of("v"), lease(Long.MAX_VALUE)))) {
            assertThat(KvRequestEncoder.put(p).bytes).isEqualTo(KvCodec.putRequest(p).toByteArray());
        }
        for (Op.Delete d : List.of(Op.delete("k"), Op.delete("k", prefix(), prevKv()), Op.delete("a", range("b")))) {
            assertThat(KvRequestEncoder.delete(d).bytes).isEqualTo(KvCodec.deleteRequest(d).toByteArray());
        }
    }

    @Test
    void anEncodedRequestStreamsItsBytesWhole() throws Exception {
        Op.Put p = Op.put("key", "value", lease(3));
        var encoded = KvRequestEncoder.put(p);
        var stream = KvClientImpl.PUT.streamRequest(encoded);
        assertThat(stream).isInstanceOf(io.grpc.KnownLength.class).isInstanceOf(io.grpc.Drainable.class);
        assertThat(stream.available()).isEqualTo(encoded.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(((io.grpc.Drainable) stream).drainTo(out)).isEqualTo(encoded.size());
        assertThat(out.toByteArray()).isEqualTo(KvCodec.putRequest(p).toByteArray());
        assertThat(KvClientImpl.PUT.parseRequest(new ByteArrayInputStream(out.toByteArray())).bytes)
                .isEqualTo(encoded.bytes);
        assertThat(KvClientImpl.RANGE.getFullMethodName()).isEqualTo("etcdserverpb.KV/Range");
    }

    @Test
    void decodesResponsesIntoTheirFields() throws Exception {
        GetResponse g = KvResponseDecoder.RANGE.decode(RangeResponse.newBuilder().setHeader(header())
                .addKvs(kv("a", "1", 5)).setMore(true).setCount(3).build().toByteArray());
        assertThat(g.header()).isEqualTo(new dev.etcdj.client.ResponseHeader(-2, Long.MAX_VALUE, 99, Long.MIN_VALUE));
        assertThat(g.more()).isTrue();
        assertThat(g.count()).isEqualTo(3);
        assertThat(g.kvs().get(0)).isEqualTo(new dev.etcdj.client.KeyValue(Bytes.of("a"), Bytes.of("1"), 2, 5, 3, -7));

        dev.etcdj.client.PutResponse p = KvResponseDecoder.PUT.decode(PutResponse.newBuilder()
                .setHeader(header()).build().toByteArray());
        assertThat(p.prevKv()).isEmpty();
        dev.etcdj.client.PutResponse p2 = KvResponseDecoder.PUT.decode(PutResponse.newBuilder()
                .setHeader(header()).setPrevKv(kv("a", "0", 5)).build().toByteArray());
        assertThat(p2.prevKv()).get().extracting(x -> x.value().toStringUtf8()).isEqualTo("0");

        dev.etcdj.client.DeleteResponse d = KvResponseDecoder.DELETE.decode(DeleteRangeResponse.newBuilder()
                .setHeader(header()).setDeleted(2).addPrevKvs(kv("a", "1", 5)).build().toByteArray());
        assertThat(d.deleted()).isEqualTo(2);
        assertThat(d.prevKvs()).hasSize(1);
    }

    @Test
    void decodesTxnResponsesPerOpAndNested() throws Exception {
        var nested = dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder().setSucceeded(false)
                .addResponses(ResponseOp.newBuilder().setResponseRange(RangeResponse.getDefaultInstance()));
        TxnResponse t = KvResponseDecoder.TXN.decode(dev.etcdj.proto.etcdserverpb.TxnResponse.newBuilder()
                .setHeader(header()).setSucceeded(true)
                .addResponses(ResponseOp.newBuilder().setResponsePut(PutResponse.newBuilder().setHeader(header())))
                .addResponses(ResponseOp.newBuilder().setResponseDeleteRange(
                        DeleteRangeResponse.newBuilder().setDeleted(1)))
                .addResponses(ResponseOp.newBuilder().setResponseTxn(nested))
                .build().toByteArray());
        assertThat(t.succeeded()).isTrue();
        assertThat(t.putResponse(0).header().revision()).isEqualTo(99);
        assertThat(t.deleteResponse(1).deleted()).isEqualTo(1);
        assertThat(t.txnResponse(2).succeeded()).isFalse();
        assertThat(t.txnResponse(2).getResponse(0).kvs()).isEmpty();
        assertThat(t.txnResponse(2).header()).isEqualTo(dev.etcdj.client.ResponseHeader.EMPTY);
    }
}
