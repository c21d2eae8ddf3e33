package dev.etcdj.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.ResponseHeader;

/** Conversions between the wire's protobuf messages and the public value types. */
public final class ProtoConvert {

    private ProtoConvert() {}

    /** Our bytes as a ByteString without copying: Bytes are immutable. */
    public static ByteString toByteString(Bytes b) {
        return b.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b.unsafeArray());
    }

    public static Bytes toBytes(ByteString s) {
        return s.isEmpty() ? Bytes.EMPTY : Bytes.wrap(s.toByteArray());
    }

    public static ResponseHeader header(dev.etcdj.proto.etcdserverpb.ResponseHeader h) {
        return new ResponseHeader(h.getClusterId(), h.getMemberId(), h.getRevision(), h.getRaftTerm());
    }

    public static KeyValue keyValue(dev.etcdj.proto.mvccpb.KeyValue kv) {
        return new KeyValue(toBytes(kv.getKey()), toBytes(kv.getValue()), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }
}
