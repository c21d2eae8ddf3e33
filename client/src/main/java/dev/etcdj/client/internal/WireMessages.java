package dev.etcdj.client.internal;

import com.google.protobuf.CodedInputStream;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.ResponseHeader;
import java.io.IOException;

/**
 * The message types the hand-written decoders of KV and watch responses share ({@code
 * ResponseHeader}, {@code mvccpb.KeyValue}), read from the wire straight into the public records
 * as protobuf's generated parser reads them: unknown fields skipped, a message that comes twice
 * merged into the first.
 */
public final class WireMessages {

    private static final int LENGTH_DELIMITED = 2;

    private WireMessages() {
    }

    /** Reads one whole message of type T. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(CodedInputStream in, T base) throws IOException;
    }

    /** A length-delimited message of {@code reader}'s type, merged into {@code base} when not null. */
    public static <M> M nested(CodedInputStream in, M base, Reader<M> reader) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new IOException("a negative length");
        }
        int limit = in.pushLimit(length);
        M m = reader.read(in, base);
        in.checkLastTagWas(0);
        in.popLimit(limit);
        return m;
    }

    /** A ResponseHeader; a repeated one merges into the earlier, as protobuf merges messages. */
    public static ResponseHeader header(CodedInputStream in, ResponseHeader h) throws IOException {
        return nested(in, h, WireMessages::headerFields);
    }

    private static ResponseHeader headerFields(CodedInputStream in, ResponseHeader h) throws IOException {
        long clusterId = h != null ? h.clusterId() : 0;
        long memberId = h != null ? h.memberId() : 0;
        long revision = h != null ? h.revision() : 0;
        long raftTerm = h != null ? h.raftTerm() : 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 -> clusterId = in.readUInt64();
                case 2 << 3 -> memberId = in.readUInt64();
                case 3 << 3 -> revision = in.readInt64();
                case 4 << 3 -> raftTerm = in.readUInt64();
                default -> in.skipField(tag);
            }
        }
        return new ResponseHeader(clusterId, memberId, revision, raftTerm);
    }

    /** An mvccpb.KeyValue; a repeated one merges into the earlier, as protobuf merges messages. */
    public static KeyValue keyValue(CodedInputStream in, KeyValue base) throws IOException {
        return nested(in, base, WireMessages::keyValueFields);
    }

    /** The fields of an mvccpb.KeyValue; its key and value are copied out of the message, once. */
    private static KeyValue keyValueFields(CodedInputStream in, KeyValue base) throws IOException {
        Bytes key = base != null ? base.key() : Bytes.EMPTY;
        Bytes value = base != null ? base.value() : Bytes.EMPTY;
        long createRevision = base != null ? base.createRevision() : 0;
        long modRevision = base != null ? base.modRevision() : 0;
        long version = base != null ? base.version() : 0;
        long lease = base != null ? base.lease() : 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> key = Bytes.wrap(in.readByteArray());
                case 2 << 3 -> createRevision = in.readInt64();
                case 3 << 3 -> modRevision = in.readInt64();
                case 4 << 3 -> version = in.readInt64();
                case 5 << 3 | LENGTH_DELIMITED -> value = Bytes.wrap(in.readByteArray());
                case 6 << 3 -> lease = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new KeyValue(key, value, createRevision, modRevision, version, lease);
    }
}
